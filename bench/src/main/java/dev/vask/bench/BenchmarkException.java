package dev.vask.bench;

/** A figure could not be measured; the message says which and why. Never replaced by a made-up number. */
final class BenchmarkException extends RuntimeException {

    BenchmarkException(String message) {
        super(message);
    }
}
