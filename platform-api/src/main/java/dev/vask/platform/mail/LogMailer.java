package dev.vask.platform.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What Vask does with mail when no SMTP server is configured (the embedded default): it writes the
 * recipient, the subject and the link to the server log at INFO, so that the person running Vask
 * can follow it. The link is a credential: configure {@code VASK_SMTP_HOST} wherever others read the log.
 */
final class LogMailer implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(LogMailer.class);

    @Override
    public Mono<Void> send(Mail mail) {
        return Mono.fromRunnable(() -> log.atInfo().addKeyValue("to", mail.to()).addKeyValue("subject", mail.subject())
                .log("No SMTP server configured (VASK_SMTP_HOST), so this mail was not sent. To: {}. Subject: {}. Link: {}",
                        mail.to(), mail.subject(), mail.link()));
    }
}
