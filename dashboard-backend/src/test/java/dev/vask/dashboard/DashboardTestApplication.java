package dev.vask.dashboard;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/** Every role's beans (realtime, platform, dashboard), as the server wires them, for this module's tests. */
@SpringBootApplication(scanBasePackages = "dev.vask", exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan("dev.vask")
public class DashboardTestApplication {
}
