package dev.vask.realtime.reactive;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Composes {@link Mono} steps without an operator chain when a step can be read at once: a {@code Mono} that is a
 * {@link Callable} ({@code Mono.just}, {@code empty}, {@code error}, {@code fromCallable}, {@code fromRunnable}) computes
 * its outcome synchronously in the subscribing thread, and Reactor's own operators read such a source by calling it
 * instead of subscribing to it ({@code FluxFlatMap.trySubscribeScalarMap}). Doing the same on a request path that
 * memory answers (a cached app, a fresh quota, a delivery on this node) saves the operators' allocations and
 * subscriptions, which profiles of the publish path showed as its largest single cost. Whatever must wait keeps its
 * operator chain, with the same outcome.
 *
 * <p>A step composed here runs when it is composed, not when the result is subscribed to: call these from code that
 * itself runs at subscription time (inside {@code Mono.defer}, a handler function, or a caller that reads the result
 * at once).
 */
public final class Immediate {

    private Immediate() {
    }

    /** Whether {@code mono}'s outcome can be read at once with {@link #get}. */
    public static boolean available(Mono<?> mono) {
        return mono instanceof Callable<?>;
    }

    /**
     * The value of a step that {@link #available} says can be read at once: null when it completes empty; its error,
     * thrown, when it fails (checked ones wrapped as Reactor does).
     */
    @SuppressWarnings("unchecked")
    public static <T> @Nullable T get(Mono<T> mono) {
        try {
            return ((Callable<@Nullable T>) mono).call();
        }
        catch (RuntimeException | Error e) {
            throw e;
        }
        catch (Exception e) {
            throw Exceptions.propagate(e);
        }
    }

    /** {@code mono.flatMap(next)}, read at once when {@code mono} can be: then {@code next}'s own step is returned. */
    public static <T, R> Mono<R> flatMap(Mono<T> mono, Function<? super T, ? extends Mono<? extends R>> next) {
        if (!available(mono)) {
            return mono.flatMap(next);
        }
        try {
            T value = get(mono);
            return value == null ? Mono.empty() : Mono.from(next.apply(value));
        }
        catch (Throwable e) {
            return failed(e);
        }
    }

    /** {@code mono.then(Mono.just(value))}, with {@code mono} run at once when it can be. */
    public static <T> Mono<T> thenReturn(Mono<?> mono, T value) {
        if (!available(mono)) {
            return mono.thenReturn(value);
        }
        try {
            get(mono);
            return Mono.just(value);
        }
        catch (Throwable e) {
            return failed(e);
        }
    }

    /**
     * {@code Flux.fromIterable(items).concatMap(step).then()}: each item's step after the previous one's, stopping at the
     * first error. Steps are read at once while they can be; from the first that must wait the rest are chained, each
     * step made only when the one before it has completed, as {@code concatMap} does.
     */
    public static <T> Mono<Void> concat(List<T> items, Function<? super T, ? extends Mono<?>> step) {
        for (int i = 0; i < items.size(); i++) {
            Mono<?> current;
            try {
                current = step.apply(items.get(i));
                if (available(current)) {
                    get(current);
                    continue;
                }
            }
            catch (Throwable e) {
                return failed(e);
            }
            List<T> rest = items.subList(i + 1, items.size());
            return rest.isEmpty() ? current.then() : current.then(Flux.fromIterable(rest).concatMap(step).then());
        }
        return Mono.empty();
    }

    /** {@code mono.onErrorMap(type, mapper)}, with {@code mono} run at once when it can be. */
    public static <T, E extends Throwable> Mono<T> onErrorMap(Mono<T> mono, Class<E> type, Function<? super E, ? extends Throwable> mapper) {
        if (!available(mono)) {
            return mono.onErrorMap(type, mapper);
        }
        try {
            return Mono.justOrEmpty(get(mono));
        }
        catch (Throwable e) {
            Throwable error = unwrapped(e);
            return Mono.error(type.isInstance(error) ? mapper.apply(type.cast(error)) : error);
        }
    }

    /** The step failed as it was read: the same error a subscriber would have been given. */
    private static <T> Mono<T> failed(Throwable error) {
        return Mono.error(unwrapped(error));
    }

    private static Throwable unwrapped(Throwable error) {
        Exceptions.throwIfJvmFatal(error);
        return Exceptions.unwrap(error);
    }
}
