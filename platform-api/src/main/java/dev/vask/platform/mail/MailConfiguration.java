package dev.vask.platform.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the {@link Mailer}: SMTP when {@code VASK_SMTP_HOST} is set, the log otherwise. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    @Bean
    Mailer mailer(MailProperties properties) {
        if (properties.configured()) {
            log.atInfo().addKeyValue("host", properties.host()).addKeyValue("port", properties.port())
                    .addKeyValue("tls", properties.tls()).log("Mail goes through SMTP");
            return new SmtpMailer(properties);
        }
        log.info("No SMTP server configured (VASK_SMTP_HOST): verification, invitation and password-reset links are written to this log");
        return new LogMailer();
    }

    @Bean
    MailOutbox mailOutbox(Mailer mailer) {
        return new MailOutbox(mailer);
    }
}
