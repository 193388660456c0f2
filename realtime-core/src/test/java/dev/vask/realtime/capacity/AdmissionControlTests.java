package dev.vask.realtime.capacity;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Admission control's verdict from its samples, what it counts, and the JVM figures it samples. */
class AdmissionControlTests {

    private final SettableReadings readings = new SettableReadings();
    private final AdmissionControl admission = new AdmissionControl(CapacityProperties.defaults(), readings);

    @Test
    void underEveryThresholdEverythingIsAdmitted() {
        readings.set(Resource.HEAP, 0.84).set(Resource.DIRECT_MEMORY, 0.5).set(Resource.FILE_DESCRIPTORS, 0.89);
        admission.sample();
        assertThat(admission.admitConnection()).isEmpty();
        assertThat(admission.admitPublish()).isEmpty();
        assertThat(admission.overload()).isNull();
    }

    @Test
    void pastAThresholdNewWorkIsRefusedNamingTheResourceAndCountedBySurface() {
        readings.set(Resource.FILE_DESCRIPTORS, 0.95);
        admission.sample();
        assertThat(admission.admitConnection()).get().extracting(Overload::resource).isEqualTo(Resource.FILE_DESCRIPTORS);
        assertThat(admission.admitConnection()).isPresent();
        assertThat(admission.admitPublish()).get().satisfies(overload -> {
            assertThat(overload.message()).contains("file descriptors");
            assertThat(overload.used()).isEqualTo(0.95);
            assertThat(overload.threshold()).isEqualTo(0.9);
        });
        assertThat(admission.refusals(AdmissionControl.Surface.WEBSOCKET, Resource.FILE_DESCRIPTORS)).isEqualTo(2);
        assertThat(admission.refusals(AdmissionControl.Surface.PUBLISH, Resource.FILE_DESCRIPTORS)).isEqualTo(1);
        assertThat(admission.refusals(AdmissionControl.Surface.WEBSOCKET, Resource.HEAP)).isZero();
    }

    @Test
    void socketsOpenedSinceTheLatestSampleCountAgainstTheFileThresholdSoThatABurstCannotRunTheProcessOutBeforeTheNextSample() {
        // 768 of 1024 files at the sample, refusing from 896 (binary fractions: the sums below are exact)
        AdmissionControl admission = new AdmissionControl(new CapacityProperties(null, 0.85, 0.85, 0.875, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(5)), readings.set(Resource.FILE_DESCRIPTORS, 0.75));
        admission.sample();
        readings.since(Resource.FILE_DESCRIPTORS, 127.0 / 1024); // 127 sockets accepted since
        assertThat(admission.admitConnection()).isEmpty();
        readings.since(Resource.FILE_DESCRIPTORS, 128.0 / 1024);
        assertThat(admission.admitConnection()).get().satisfies(overload -> {
            assertThat(overload.resource()).isEqualTo(Resource.FILE_DESCRIPTORS);
            assertThat(overload.message()).contains("file descriptors");
            assertThat(overload.used()).isEqualTo(0.875);
        });
        assertThat(admission.refusals(AdmissionControl.Surface.WEBSOCKET, Resource.FILE_DESCRIPTORS)).isEqualTo(1);
        // a publish or a subscription takes no file descriptor of its own
        assertThat(admission.admitPublish()).isEmpty();
        assertThat(admission.admitSubscription()).isEmpty();
        // the next sample counts the sockets still open itself, and what was accepted before it is not added again
        readings.set(Resource.FILE_DESCRIPTORS, 0.8).since(Resource.FILE_DESCRIPTORS, 0);
        admission.sample();
        assertThat(admission.admitConnection()).isEmpty();
    }

    @Test
    void theResourceFurthestPastItsThresholdNamesTheRefusal() {
        readings.set(Resource.HEAP, 0.86).set(Resource.DIRECT_MEMORY, 0.99);
        admission.sample();
        assertThat(admission.admitConnection()).get().extracting(Overload::resource).isEqualTo(Resource.DIRECT_MEMORY);
    }

    @Test
    void backUnderTheThresholdNewWorkIsAdmittedAgain() {
        readings.set(Resource.HEAP, 0.9);
        admission.sample();
        assertThat(admission.admitPublish()).isPresent();
        readings.set(Resource.HEAP, 0.6);
        admission.sample();
        assertThat(admission.admitPublish()).isEmpty();
        assertThat(admission.admitConnection()).isEmpty();
    }

    @Test
    void thresholdsAreConfigurable() {
        AdmissionControl strict = new AdmissionControl(new CapacityProperties(null, 0.5, 0.85, 0.9, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(7)), readings.set(Resource.HEAP, 0.6));
        strict.sample();
        assertThat(strict.admitConnection()).isPresent();
        assertThat(strict.retryAfter()).hasSeconds(7);
    }

    @Test
    void theSamplingThreadUpdatesTheVerdictOnItsOwn() {
        AdmissionControl sampled = new AdmissionControl(new CapacityProperties(null, 0.85, 0.85, 0.9, java.time.Duration.ofMillis(20),
                java.time.Duration.ofSeconds(5)), readings);
        sampled.start();
        try {
            readings.set(Resource.HEAP, 0.97);
            org.awaitility.Awaitility.await().until(() -> sampled.overload() != null);
            readings.clear();
            org.awaitility.Awaitility.await().until(() -> sampled.overload() == null);
        }
        finally {
            sampled.stop();
        }
        assertThat(sampled.isRunning()).isFalse();
    }

    @Test
    void metricsShowUsageThresholdsAndRefusalsByResourceAndSurface() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        admission.bindTo(registry);
        readings.set(Resource.HEAP, 0.9);
        admission.sample();
        admission.admitConnection();
        admission.admitPublish();
        admission.admitPublish();
        assertThat(registry.get("vask.capacity.refusals").tag("resource", "heap").tag("surface", "websocket").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("vask.capacity.refusals").tag("resource", "heap").tag("surface", "publish").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("vask.capacity.usage").tag("resource", "heap").gauge().value()).isEqualTo(0.9);
        assertThat(registry.get("vask.capacity.threshold").tag("resource", "file_descriptors").gauge().value()).isEqualTo(0.9);
        assertThat(registry.get("vask.capacity.overloaded").gauge().value()).isEqualTo(1);
    }

    @Test
    void theJvmReadingsSeeThisProcesssHeapAfterCollectionAndItsOpenFiles() {
        List<byte[]> live = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            live.add(new byte[1024 * 1024]);
        }
        System.gc();
        JvmResourceReadings jvm = new JvmResourceReadings();
        double heap = jvm.used(Resource.HEAP);
        // at least the 16 MB still referenced, and never more than the whole heap
        assertThat(heap).isGreaterThan(16.0 * 1024 * 1024 / Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(1.0);
        assertThat(jvm.used(Resource.FILE_DESCRIPTORS)).isGreaterThan(0).isLessThan(1);
        assertThat(jvm.used(Resource.DIRECT_MEMORY)).isBetween(0.0, 1.0);
        assertThat(live).hasSize(16);
    }
}
