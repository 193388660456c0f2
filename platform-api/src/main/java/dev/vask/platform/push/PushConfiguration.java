package dev.vask.platform.push;

import java.time.Clock;

import dev.vask.platform.secret.SecretCipher;
import dev.vask.platform.usage.UsageMeter;
import dev.vask.realtime.app.AppDirectory;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import dev.vask.realtime.connection.Hub;
import io.netty.channel.ChannelOption;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Web Push delivery on nodes that serve the HTTP API. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
@EnableConfigurationProperties(PushProperties.class)
class PushConfiguration {

    @Bean
    PushEndpoints pushEndpoints(PushProperties properties) {
        return new PushEndpoints(properties.allowedHosts());
    }

    @Bean(destroyMethod = "close")
    PushApps pushApps(DatabaseClient database, SecretCipher cipher, PushProperties properties, AppDirectory directory) {
        return new PushApps(database, cipher, properties.subject(), directory);
    }

    @Bean
    PushSubscriptions pushSubscriptions(DatabaseClient database) {
        return new PushSubscriptions(database);
    }

    @Bean(destroyMethod = "close")
    PushDelivery pushDelivery(PushProperties properties, PushApps apps, PushSubscriptions subscriptions, PushEndpoints endpoints,
            UsageMeter usage) {
        P256Ecdh.preferred(); // picks (and logs) the P-256 implementation at start rather than at the first push
        return new PushDelivery(properties, apps, subscriptions, endpoints, new VapidSigner(), usage, httpClient(properties, endpoints), Clock.systemUTC());
    }

    @Bean
    PushService pushService(PushApps apps, PushSubscriptions subscriptions, PushEndpoints endpoints, PushDelivery delivery) {
        return new PushService(apps, subscriptions, endpoints, delivery);
    }

    @Bean
    PushFallback pushFallback(PushApps apps, PushSubscriptions subscriptions, PushDelivery delivery, Hub hub, UsageMeter usage) {
        return new PushFallback(apps, subscriptions, delivery, hub, usage);
    }

    /**
     * Its own connection pool, sized to the pushes in flight; no compression (the body is ciphertext), no redirects; and
     * the SSRF guard once more where it cannot be fooled: on the addresses the host resolves to for this very connection.
     */
    static HttpClient httpClient(PushProperties properties, PushEndpoints endpoints) {
        ConnectionProvider pool = ConnectionProvider.builder("vask-push")
                .maxConnections(properties.maxInFlight())
                .pendingAcquireMaxCount(-1)
                .build();
        return HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout())
                .compress(false)
                .followRedirect(false)
                .resolvedAddressesSelector((config, resolved) -> endpoints.connectable(resolved));
    }
}
