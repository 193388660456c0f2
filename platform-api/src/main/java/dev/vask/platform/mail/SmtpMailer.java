package dev.vask.platform.mail;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends mail through the configured SMTP server. JavaMail blocks on the network, so every send runs
 * on {@code boundedElastic}, never on an event loop.
 */
final class SmtpMailer implements Mailer {

    private final JavaMailSenderImpl sender = new JavaMailSenderImpl();
    private final String from;

    SmtpMailer(MailProperties properties) {
        sender.setHost(properties.host());
        sender.setPort(properties.port());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties settings = sender.getJavaMailProperties();
        String timeout = Long.toString(properties.timeout().toMillis());
        settings.setProperty("mail.smtp.connectiontimeout", timeout);
        settings.setProperty("mail.smtp.timeout", timeout);
        settings.setProperty("mail.smtp.writetimeout", timeout);
        if (properties.username() != null && !properties.username().isBlank()) {
            sender.setUsername(properties.username());
            sender.setPassword(properties.password());
            settings.setProperty("mail.smtp.auth", "true");
        }
        switch (properties.tls()) {
            case STARTTLS -> {
                settings.setProperty("mail.smtp.starttls.enable", "true");
                settings.setProperty("mail.smtp.starttls.required", "true");
            }
            case TLS -> {
                sender.setProtocol("smtps");
                settings.setProperty("mail.smtps.ssl.checkserveridentity", "true");
                settings.setProperty("mail.smtps.connectiontimeout", timeout);
                settings.setProperty("mail.smtps.timeout", timeout);
                settings.setProperty("mail.smtps.writetimeout", timeout);
                if (properties.username() != null && !properties.username().isBlank()) {
                    settings.setProperty("mail.smtps.auth", "true");
                }
            }
            case NONE -> settings.setProperty("mail.smtp.starttls.enable", "false");
        }
        this.from = properties.from();
    }

    @Override
    public Mono<Void> send(Mail mail) {
        return Mono.<Void>fromRunnable(() -> sender.send(message(mail))).subscribeOn(Schedulers.boundedElastic());
    }

    private MimeMessage message(Mail mail) {
        MimeMessage message = sender.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(mail.to());
            helper.setSubject(mail.subject());
            helper.setText(mail.text(), false);
        }
        catch (MessagingException e) {
            throw new IllegalArgumentException("Mail to " + mail.to() + " could not be built: " + e.getMessage(), e);
        }
        return message;
    }
}
