package dev.vask.platform.signature;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the Pusher HTTP API ({@code vask.api.*}; {@code VASK_API_MAX_BODY} in docs/http-api.md).
 *
 * @param maxBody the platform's ceiling on a request body (default 16 MB), whatever an app's own message
 *        limit allows. Only requests whose signature checked out are read at all.
 */
@ConfigurationProperties("vask.api")
public record PusherApiProperties(@DefaultValue("16MB") DataSize maxBody) {

    public PusherApiProperties {
        if (maxBody.toBytes() < 64 * 1024 || maxBody.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vask.api.max-body must be between 64KB and 2GB, not " + maxBody);
        }
    }

    public static PusherApiProperties defaults() {
        return new PusherApiProperties(DataSize.ofMegabytes(16));
    }
}
