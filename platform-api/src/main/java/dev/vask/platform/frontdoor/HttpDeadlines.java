package dev.vask.platform.frontdoor;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deadlines on an HTTP request as it arrives ({@code vask.http.*}), so that no client holds a connection by trickling
 * bytes. Every HTTP front end of the one port applies them.
 *
 * @param headTimeout from a head's first byte to its last
 * @param readTimeout between two reads of a body
 * @param requestTimeout from the head to the body's last byte
 */
@ConfigurationProperties("vask.http")
public record HttpDeadlines(@DefaultValue("10s") Duration headTimeout, @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("60s") Duration requestTimeout) {
}
