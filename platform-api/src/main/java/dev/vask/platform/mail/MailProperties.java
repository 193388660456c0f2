package dev.vask.platform.mail;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SMTP server Vask sends mail through ({@code vask.mail.*}, set with the {@code VASK_SMTP_*} variables).
 * Without a host, mail goes to the server log instead ({@link LogMailer}).
 *
 * @param host the SMTP server ({@code VASK_SMTP_HOST}); empty: no mail is sent, links are logged
 * @param port its port ({@code VASK_SMTP_PORT}, default 587)
 * @param username the login, if the server wants one ({@code VASK_SMTP_USERNAME})
 * @param password its password ({@code VASK_SMTP_PASSWORD})
 * @param from the sender ({@code VASK_SMTP_FROM}, default {@code Vask <no-reply@vask.local>})
 * @param tls how the connection is protected ({@code VASK_SMTP_TLS}: {@code starttls}, the default,
 *        {@code tls} for implicit TLS such as port 465, or {@code none})
 * @param timeout connecting to, and each read from or write to, the server (default 10 s)
 */
@ConfigurationProperties("vask.mail")
public record MailProperties(@Nullable String host, @DefaultValue("587") int port, @Nullable String username,
        @Nullable String password, @DefaultValue("Vask <no-reply@vask.local>") String from,
        @DefaultValue("starttls") Tls tls, @DefaultValue("10s") Duration timeout) {

    /** How the SMTP connection is protected. */
    public enum Tls {
        /** Plain SMTP, upgraded with STARTTLS (refused if the server cannot). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS,
        /** No encryption: only for a server on the same host or a test. */
        NONE
    }

    public MailProperties {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("vask.mail.port (VASK_SMTP_PORT) must be 1 to 65535, not " + port);
        }
    }

    @Override
    public String toString() {
        return "MailProperties[host=" + host + ", port=" + port + ", username=" + username + ", tls=" + tls + "]";
    }

    boolean configured() {
        return host != null && !host.isBlank();
    }
}
