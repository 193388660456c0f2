package dev.vask.realtime.presence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

/** The single-node {@link PresenceStore}: one small synchronized map per channel. */
public final class LocalPresenceStore implements PresenceStore {

    private final Map<ChannelKey, Members> channels = new ConcurrentHashMap<>();
    /** One sequence for every channel, so a channel that empties and fills again never reuses a version. */
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Mono<JoinResult> join(ChannelKey channel, PresenceMember member, String socketId, int maxMembers) {
        return Mono.fromSupplier(() -> {
            JoinResult[] result = new JoinResult[1];
            channels.compute(channel, (key, members) -> {
                Members current = members == null ? new Members() : members;
                result[0] = current.join(member, socketId, maxMembers, versions);
                return current.isEmpty() ? null : current;
            });
            return result[0];
        });
    }

    @Override
    public Mono<Long> leave(ChannelKey channel, String userId, String socketId) {
        return Mono.fromSupplier(() -> {
            long[] version = new long[1];
            channels.computeIfPresent(channel, (key, members) -> {
                version[0] = members.leave(userId, socketId) ? versions.incrementAndGet() : 0;
                return members.isEmpty() ? null : members;
            });
            return version[0];
        });
    }

    @Override
    public Mono<List<PresenceMember>> members(ChannelKey channel) {
        return Mono.fromSupplier(() -> {
            List<PresenceMember>[] snapshot = new List[] {List.of()};
            channels.computeIfPresent(channel, (key, members) -> {
                snapshot[0] = members.snapshot();
                return members;
            });
            return snapshot[0];
        });
    }

    /** Only ever touched inside ConcurrentHashMap.compute for its key, so never concurrently. */
    private static final class Members {

        private final Map<String, Member> byUser = new LinkedHashMap<>();

        JoinResult join(PresenceMember member, String socketId, int maxMembers, AtomicLong versions) {
            Member existing = byUser.get(member.userId());
            if (existing != null) {
                existing.sockets.add(socketId);
                // changes of this channel happen only under its lock, so the sequence's value covers them all
                return new JoinResult(true, false, snapshot(), versions.get());
            }
            if (byUser.size() >= maxMembers) {
                return JoinResult.full();
            }
            Member added = new Member(member);
            added.sockets.add(socketId);
            byUser.put(member.userId(), added);
            return new JoinResult(true, true, snapshot(), versions.incrementAndGet());
        }

        boolean leave(String userId, String socketId) {
            Member member = byUser.get(userId);
            if (member == null || !member.sockets.remove(socketId)) {
                return false;
            }
            if (member.sockets.isEmpty()) {
                byUser.remove(userId);
                return true;
            }
            return false;
        }

        boolean isEmpty() {
            return byUser.isEmpty();
        }

        List<PresenceMember> snapshot() {
            List<PresenceMember> members = new ArrayList<>(byUser.size());
            byUser.values().forEach(member -> members.add(member.member));
            return members;
        }
    }

    private static final class Member {

        final PresenceMember member;
        final Set<String> sockets = new HashSet<>(2);

        Member(PresenceMember member) {
            this.member = member;
        }
    }
}
