package dev.vask.platform.mail;

import reactor.core.publisher.Mono;

/**
 * Delivers mail. Implementations: {@link SmtpMailer} (a real SMTP server) and {@link LogMailer} (the
 * server log, when no SMTP server is configured).
 */
public interface Mailer {

    /**
     * Hands the message over for delivery. Completes when the server accepted it; errors when it
     * refused it or could not be reached. Never blocks the subscribing thread.
     */
    Mono<Void> send(Mail mail);
}
