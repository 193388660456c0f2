package dev.vask.platform.vapid;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled VAPID key rotation ({@code vask.vapid.*}). Each app's own period is data (the management API's
 * {@code rotationPeriod}); these say how often a node looks for keys past their period.
 *
 * @param rotationCheckInterval how often every node looks for apps whose key is past its period; a key is replaced
 *        at most this long after it falls due. Default 1 minute.
 * @param rotationBatch how many due apps one look rotates at most (the rest wait for the next look). Default 100.
 */
@ConfigurationProperties("vask.vapid")
public record VapidProperties(@DefaultValue("1m") Duration rotationCheckInterval, @DefaultValue("100") int rotationBatch) {
}
