package dev.vask.platform.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.testing.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI UI still works under its Content-Security-Policy, in a real browser (the machine's Chromium):
 * it renders the document, opens an operation, and the browser reports no CSP violation or script error.
 */
class SwaggerUiBrowserTests extends ManagementApiTestSupport {

    private static Playwright playwright;
    private static Browser browser;

    @LocalServerPort
    int port;

    @BeforeAll
    static void launchChromium() {
        playwright = Playwright.create();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void closeChromium() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void theUiRendersAndOpensAnOperationWithoutAnyPolicyViolation() {
        List<String> problems = new CopyOnWriteArrayList<>();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setBaseURL("http://127.0.0.1:" + port))) {
            context.setDefaultTimeout(15_000);
            // a violation is reported as an event in the page and as a console error; record both
            context.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                    + "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
            Page page = context.newPage();
            page.onPageError(error -> problems.add("page error: " + error));
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type())) {
                    problems.add("console: " + message.text());
                }
            });

            Response response = page.navigate("/api/v1/docs");
            assertThat(response.headers().get("content-security-policy")).contains("script-src 'self'");
            assertThat(page.locator(".swagger-ui .info .title")).containsText("Vask management API");
            Locator operations = page.locator(".opblock");
            assertThat(operations.first()).isVisible();
            assertThat(operations.count()).isGreaterThan(10);
            Locator signIn = page.locator(".opblock", new Page.LocatorOptions().setHasText("/api/v1/session")).first();
            signIn.locator(".opblock-summary").click();
            assertThat(signIn.locator(".opblock-body")).isVisible();
            assertThat(signIn.locator(".opblock-body")).containsText("Responses");
        }
        assertThat(problems).as("CSP violations and script errors in the page").isEmpty();
    }
}
