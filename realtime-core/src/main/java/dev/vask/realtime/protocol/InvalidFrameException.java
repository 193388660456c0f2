package dev.vask.realtime.protocol;

/** A client frame the server cannot accept; the message is safe to show the client. */
public final class InvalidFrameException extends Exception {

    public InvalidFrameException(String message) {
        super(message, null, false, false);
    }
}
