package dev.vask.platform.mail;

import java.util.Objects;

/**
 * One plain-text message to one address.
 *
 * @param to the recipient's address
 * @param subject the subject line
 * @param text the body, which contains {@code link}
 * @param link the one link the recipient must follow (what the log shows when no SMTP server is configured)
 */
public record Mail(String to, String subject, String text, String link) {

    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(link, "link");
    }

    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]"; // the link is a credential
    }
}
