package dev.vask.realtime.reactive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImmediateTests {

    @Test
    void aStepThatHoldsItsOutcomeIsReadWithoutAnOperatorChain() {
        AtomicInteger ran = new AtomicInteger();

        Mono<String> answer = Immediate.thenReturn(Mono.fromRunnable(ran::incrementAndGet), "ok");

        assertThat(ran).hasValue(1); // ran as it was composed
        assertThat(Immediate.available(answer)).isTrue();
        assertThat(Immediate.get(answer)).isEqualTo("ok");
    }

    @Test
    void aStepThatMustWaitKeepsItsChainAndRunsOnlyWhenSubscribed() {
        AtomicInteger ran = new AtomicInteger();

        Mono<String> answer = Immediate.thenReturn(Mono.defer(() -> Mono.fromRunnable(ran::incrementAndGet)), "ok");

        assertThat(Immediate.available(answer)).isFalse();
        assertThat(ran).hasValue(0);
        StepVerifier.create(answer).expectNext("ok").verifyComplete();
        assertThat(ran).hasValue(1);
    }

    @Test
    void flatMapReadsTheValueAtOnceAndReturnsTheNextStep() {
        Mono<Integer> doubled = Immediate.flatMap(Mono.just(21), value -> Mono.just(value * 2));

        assertThat(Immediate.available(doubled)).isTrue();
        assertThat(Immediate.get(doubled)).isEqualTo(42);
        Mono<Integer> empty = Immediate.flatMap(Mono.<Integer>empty(), value -> Mono.just(value));
        assertThat((Object) Immediate.get(empty)).isNull();
    }

    @Test
    void aFailedStepGivesTheSameErrorASubscriberWouldGet() {
        IllegalStateException refused = new IllegalStateException("refused");
        Mono<Integer> failed = Immediate.flatMap(Mono.<Integer>error(refused), value -> Mono.just(value));
        assertThatThrownBy(() -> Immediate.get(failed)).isSameAs(refused);

        IOException checked = new IOException("disk");
        Mono<Object> fromCallable = Immediate.thenReturn(Mono.fromCallable(() -> {
            throw checked;
        }), "never");
        StepVerifier.create(fromCallable).expectErrorMatches(error -> error == checked).verify();
        StepVerifier.create(Mono.fromCallable(() -> {
            throw checked;
        })).expectErrorMatches(error -> error == checked).verify(); // what subscribing gives: the same error, unwrapped
    }

    @Test
    void anErrorThrownByTheNextStepBecomesTheStepsError() {
        IllegalArgumentException invalid = new IllegalArgumentException("invalid");
        Mono<Integer> failed = Immediate.flatMap(Mono.just(1), value -> {
            throw invalid;
        });
        StepVerifier.create(failed).expectErrorMatches(error -> error == invalid).verify();
    }

    @Test
    void concatRunsStepsInOrderAndStopsAtTheFirstError() {
        List<String> made = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        IllegalStateException second = new IllegalStateException("second");

        Mono<Void> all = Immediate.concat(List.of("first", "second", "third"), item -> {
            made.add(item);
            return Mono.fromRunnable(() -> {
                ran.add(item);
                if (item.equals("second")) {
                    throw second;
                }
            });
        });

        assertThat(ran).containsExactly("first", "second");
        assertThat(made).containsExactly("first", "second"); // the third step is never made
        StepVerifier.create(all).expectErrorMatches(error -> error == second).verify();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void concatChainsTheRestFromTheFirstStepThatMustWaitMakingEachAfterThePreviousCompleted() {
        List<String> made = new ArrayList<>();
        List<String> ran = new ArrayList<>();

        Mono<Void> all = Immediate.concat(List.of("first", "second", "third"), item -> {
            made.add(item);
            Mono<Void> step = Mono.fromRunnable(() -> ran.add(item));
            return item.equals("second") ? Mono.defer(() -> step) : step;
        });

        assertThat(ran).containsExactly("first");
        assertThat(made).containsExactly("first", "second");
        assertThat(Immediate.available(all)).isFalse();
        StepVerifier.create(all).verifyComplete();
        assertThat(ran).containsExactly("first", "second", "third");
        assertThat(made).containsExactly("first", "second", "third");
    }

    @Test
    void onErrorMapMapsOnlyTheNamedErrorType() {
        IllegalStateException unavailable = new IllegalStateException("redis down");
        Mono<Void> mapped = Immediate.onErrorMap(Mono.error(unavailable), IllegalStateException.class,
                error -> new NotDelivered(error));
        StepVerifier.create(mapped).expectErrorMatches(error -> error instanceof NotDelivered
                && error.getCause() == unavailable).verify();

        IllegalArgumentException other = new IllegalArgumentException("other");
        Mono<Void> untouched = Immediate.onErrorMap(Mono.error(other), IllegalStateException.class,
                error -> new NotDelivered(error));
        StepVerifier.create(untouched).expectErrorMatches(error -> error == other).verify();
    }

    /** What a caller maps a bus failure to (as EventsHandler maps ClusterUnavailableException to a 503). */
    private static final class NotDelivered extends RuntimeException {
        NotDelivered(Throwable cause) {
            super("not delivered", cause);
        }
    }
}
