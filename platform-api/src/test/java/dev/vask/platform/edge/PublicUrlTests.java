package dev.vask.platform.edge;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** VASK_PUBLIC_URL as Vask reads it, and what makes a request count as HTTPS. */
class PublicUrlTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(EdgeConfiguration.class);

    @Test
    void withoutAPublicUrlItIsLocalhostOnTheServersPort() {
        runner.withPropertyValues("local.server.port=40123").run(context -> {
            PublicUrl url = context.getBean(PublicUrl.class);
            assertThat(url.base()).isEqualTo(URI.create("http://localhost:40123"));
            assertThat(url.isConfigured()).isFalse();
            assertThat(url.isHttps()).isFalse();
            assertThat(url.path()).isEmpty();
        });
    }

    @Test
    void theOperatorsUrlIsKeptWithoutItsTrailingSlashAndItsSchemeDecidesHttps() {
        runner.withPropertyValues("vask.public-url=HTTPS://Realtime.Example.com/vask/").run(context -> {
            PublicUrl url = context.getBean(PublicUrl.class);
            assertThat(url.base()).isEqualTo(URI.create("https://Realtime.Example.com/vask"));
            assertThat(url.path()).isEqualTo("/vask");
            assertThat(url.isHttps()).isTrue();
            assertThat(url.isHttps(MockServerHttpRequest.get("http://10.0.0.5:6001/api/v1/session").build())).isTrue();
        });
    }

    /** The https URI below is what Spring's own forwarded-header strategy makes of a client's X-Forwarded-Proto. */
    @Test
    void anHttpsRequestUriCountsOnlyWhenTrustedProxiesAreNamed() {
        MockServerHttpRequest forwarded = MockServerHttpRequest.get("https://vask.example.com/api/v1/session").build();
        runner.run(context -> assertThat(context.getBean(PublicUrl.class).isHttps(forwarded)).isFalse());
        runner.withPropertyValues("vask.trusted-proxies=10.0.0.0/8")
                .run(context -> assertThat(context.getBean(PublicUrl.class).isHttps(forwarded)).isTrue());
    }

    @Test
    void aPublicUrlThatIsNoHttpUrlStopsStartUpNamingTheSetting() {
        runner.withPropertyValues("vask.public-url=realtime.example.com").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("VASK_PUBLIC_URL must be an http:// or https:// URL with a host"));
        runner.withPropertyValues("vask.public-url=https://realtime.example.com/?x=1").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("VASK_PUBLIC_URL must not have a user, query or fragment"));
        runner.withPropertyValues("vask.trusted-proxies=proxy.internal").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("'proxy.internal' is not an IP address"));
    }
}
