package dev.vask.realtime.capacity;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.management.GcInfo;
import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/**
 * This JVM's figures:
 * <ul>
 * <li>heap: the heap in use right after the most recent garbage collection (of any collector), against the maximum
 *     heap. Heap in use at a random moment counts garbage not yet collected, and would refuse work a collection is
 *     about to make room for; before the first collection the heap counts as empty;</li>
 * <li>direct memory: the largest of what Netty's allocators hold, what Netty counts itself, and the JDK's direct
 *     buffer pool (Netty's buffers are in one or the other, depending on how it allocates), against the maximum
 *     direct memory;</li>
 * <li>file descriptors: open against the process's limit (Unix only; elsewhere 0). Counting them lists
 *     {@code /proc/self/fd}, which costs in proportion to their number; so while the count is under half the limit it
 *     is taken every {@link #EXACT_COUNT_EVERY} and followed in between by adding the sockets the server accepted
 *     ({@link ServerSocketTally}), the descriptors that come quickly. The estimate only errs high, and from half the
 *     limit on every reading counts exactly, so a refusal is always decided on an exact count.</li>
 * </ul>
 */
public final class JvmResourceReadings implements ResourceReadings {

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final BufferPoolMXBean jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    static final java.time.Duration EXACT_COUNT_EVERY = java.time.Duration.ofSeconds(10);
    private static final double ALWAYS_COUNT_FROM = 0.5;

    private final ServerSocketTally sockets;
    private final java.time.Duration exactCountEvery;
    private long descriptorsCounted = -1;
    private long socketsAtCount;
    private long countedAtNanos;
    /** The server sockets accepted as of the latest reading, and the share of the file limit one descriptor is (0: unknown). */
    private volatile long socketsAtReading;
    private volatile double descriptorShare;
    private long collectionsSeen = -1;
    private long collectionsSeenAt = System.nanoTime();

    public JvmResourceReadings() {
        this(new ServerSocketTally());
    }

    public JvmResourceReadings(ServerSocketTally sockets) {
        this(sockets, EXACT_COUNT_EVERY);
    }

    JvmResourceReadings(ServerSocketTally sockets, java.time.Duration exactCountEvery) {
        this.sockets = sockets;
        this.exactCountEvery = exactCountEvery;
    }

    @Override
    public double used(Resource resource) {
        return switch (resource) {
            case HEAP -> share(heapAfterLastCollection(), maxHeap);
            case DIRECT_MEMORY -> share(directMemory(), PlatformDependent.maxDirectMemory());
            case FILE_DESCRIPTORS -> os instanceof UnixOperatingSystemMXBean unix ? fileDescriptors(unix) : 0;
        };
    }

    @Override
    public double sinceLatestReading(Resource resource) {
        return resource == Resource.FILE_DESCRIPTORS ? (sockets.accepted() - socketsAtReading) * descriptorShare : 0;
    }

    @Override
    public synchronized void collectIfIdle(java.time.Duration idle) {
        long collections = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            collections += Math.max(0, collector.getCollectionCount());
        }
        long now = System.nanoTime();
        if (collections != collectionsSeen) {
            collectionsSeen = collections;
            collectionsSeenAt = now;
        }
        else if (now - collectionsSeenAt >= idle.toNanos()) {
            System.gc();
            collectionsSeenAt = now;
        }
    }

    private synchronized double fileDescriptors(UnixOperatingSystemMXBean unix) {
        long limit = unix.getMaxFileDescriptorCount();
        long now = System.nanoTime();
        long socketsNow = sockets.accepted();
        long estimate = descriptorsCounted + socketsNow - socketsAtCount;
        if (descriptorsCounted < 0 || now - countedAtNanos >= exactCountEvery.toNanos() || share(estimate, limit) >= ALWAYS_COUNT_FROM) {
            descriptorsCounted = unix.getOpenFileDescriptorCount();
            socketsAtCount = socketsNow;
            countedAtNanos = now;
            estimate = descriptorsCounted;
        }
        socketsAtReading = socketsNow;
        descriptorShare = limit > 0 ? 1.0 / limit : 0;
        return share(estimate, limit);
    }

    private long heapAfterLastCollection() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                GcInfo info = withInfo.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return 0;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    private long directMemory() {
        long allocators = allocatorDirect(ByteBufAllocator.DEFAULT);
        if (PooledByteBufAllocator.DEFAULT != ByteBufAllocator.DEFAULT) {
            allocators += allocatorDirect(PooledByteBufAllocator.DEFAULT);
        }
        long counted = Math.max(allocators, PlatformDependent.usedDirectMemory());
        return Math.max(counted, jdkDirect == null ? 0 : jdkDirect.getMemoryUsed());
    }

    private static long allocatorDirect(ByteBufAllocator allocator) {
        return allocator instanceof ByteBufAllocatorMetricProvider provider ? Math.max(0, provider.metric().usedDirectMemory()) : 0;
    }

    private static double share(long used, long limit) {
        return limit <= 0 || used <= 0 ? 0 : Math.min(1, (double) used / limit);
    }
}
