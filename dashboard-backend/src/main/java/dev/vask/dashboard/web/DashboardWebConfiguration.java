package dev.vask.dashboard.web;

import dev.vask.platform.management.ManagementProperties;
import dev.vask.realtime.config.ConditionalOnRole;
import dev.vask.realtime.config.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The dashboard's routes, present when this process runs the {@code dashboard} role. The pages hold
 * no data of their own: once loaded, they talk to the management API ({@code /api/v1}) of the same
 * origin with the session cookie.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.DASHBOARD)
class DashboardWebConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DashboardWebConfiguration.class);

    @Bean
    DashboardAssets dashboardAssets(ResourceLoader resourceLoader) {
        ClassLoader classLoader = resourceLoader.getClassLoader() != null ? resourceLoader.getClassLoader()
                : DashboardAssets.class.getClassLoader();
        DashboardAssets assets = DashboardAssets.load(classLoader);
        log.atDebug().addKeyValue("files", assets.size()).log("Dashboard files loaded");
        return assets;
    }

    @Bean
    RouterFunction<ServerResponse> dashboardRoutes(DashboardAssets assets, ManagementProperties management) {
        return new DashboardPages(assets, new DashboardSettings(management.signupEnabled())).routes();
    }
}
