package dev.vask.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that need the whole server with every role on a random port, over one database: the
 * subclasses share one Spring context (same configuration), so the server starts once for all of them.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public abstract class DashboardServerTestSupport {

    @DynamicPropertySource
    static void dashboardServer(DynamicPropertyRegistry registry) {
        DashboardTestDatabase.register(registry);
    }
}
