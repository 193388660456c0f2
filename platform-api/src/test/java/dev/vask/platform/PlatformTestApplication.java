package dev.vask.platform;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/** The platform and realtime beans, as the server wires them, for this module's tests. */
@SpringBootApplication(scanBasePackages = "dev.vask", exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan("dev.vask")
public class PlatformTestApplication {
}
