package dev.vask.dashboard.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import com.microsoft.playwright.APIRequest;
import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.RequestOptions;
import dev.vask.dashboard.DashboardServerTestSupport;
import dev.vask.dashboard.DashboardTestDatabase;
import dev.vask.testing.browser.Chromium;
import dev.vask.testing.mail.TestMailServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.BDDAssertions.then;

/**
 * The dashboard in a real browser (Debian's Chromium, driven by Playwright) against a real server and
 * PostgreSQL: what a person does on the first start and after. One browser for the class; each test
 * has a browser context of its own (its own cookies), and fails on any script error or CSP violation.
 */
class DashboardBrowserTests extends DashboardServerTestSupport {

    private static final String ADMIN = DashboardTestDatabase.ADMIN_EMAIL;
    private static final String ADMIN_PASSWORD = DashboardTestDatabase.ADMIN_PASSWORD;
    private static final String DEMO_APP = DashboardTestDatabase.DEMO_APP_ID;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Gson JSON = new Gson();

    private static Playwright playwright;
    private static Browser browser;
    /** The admin's session cookies, signed in once for the tests that start signed in. */
    private static List<Cookie> adminSession;

    @LocalServerPort
    int port;

    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();

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

    /** Saves a screenshot of the page to target/playwright-failures when a test fails, to see what the browser saw. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = extension -> {
        if (extension.getExecutionException().isPresent() && page != null) {
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(Path.of("target", "playwright-failures", extension.getRequiredTestMethod().getName() + ".png")));
        }
    };

    @BeforeEach
    void openPage() {
        context = newContext();
        page = context.newPage();
        watch(page);
    }

    @AfterEach
    void closePage() {
        context.close();
        then(pageErrors).as("script errors and CSP violations in the page").isEmpty();
    }

    @Test
    void wrongPasswordIsShownOnTheSignInForm() {
        page.navigate("/dashboard/");
        assertThat(page).hasURL(Pattern.compile("/dashboard/sign-in"));
        page.getByLabel("Email").fill(ADMIN);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Email or password is wrong");
        assertThat(page).hasURL(Pattern.compile("/dashboard/sign-in"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Vask"))).isVisible();
    }

    @Test
    void firstStartAdminSignsInWithTheKeyboardAndSeesTheDemoApp() {
        page.navigate("/dashboard");
        assertThat(page.getByLabel("Email")).isFocused();
        page.keyboard().type(ADMIN);
        page.keyboard().press("Tab");
        page.keyboard().type(ADMIN_PASSWORD);
        page.keyboard().press("Enter");

        assertThat(page).hasURL(Pattern.compile("/dashboard/apps$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Apps").setExact(true))).isVisible();
        Locator demo = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Demo app"));
        assertThat(demo).isVisible();
        assertThat(page.locator(".app-card", new Page.LocatorOptions().setHas(demo))).containsText("App id " + DEMO_APP);
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))).containsText(ADMIN);
    }

    @Test
    void createdAppOpensOnItsConnectionDetailsWithItsFirstKey() {
        useAdminSession();
        page.navigate("/dashboard/apps");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Create app")).click();
        String name = "Chat " + SEQUENCE.incrementAndGet();
        page.getByLabel("Name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create app")).click();

        assertThat(page).hasURL(Pattern.compile("/dashboard/apps/\\d+$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(name);
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText(name + " is ready");
        String appId = page.url().replaceAll(".*/apps/", "");
        List<Map<String, Object>> keys = list(api().get("/api/v1/apps/" + appId + "/keys"));
        then(keys).hasSize(1);
        Locator client = page.locator("pre[aria-label='pusher-js code']");
        assertThat(client).containsText("new Pusher('" + keys.getFirst().get("key") + "'");
        assertThat(client).containsText("wsHost: '127.0.0.1'");
        assertThat(client).containsText("wsPort: " + port + ",");
        assertThat(client).containsText("forceTLS: false");
        assertThat(page.locator("pre[aria-label='Node.js code']")).containsText("appId: '" + appId + "'");
        then(page.content()).doesNotContain((String) keys.getFirst().get("secret"));
    }

    @Test
    void newKeyShowsItsSecretInFullOnceThenOnlyMasked() {
        useAdminSession();
        page.navigate("/dashboard/apps/" + DEMO_APP + "/keys");
        String label = "e2e key " + SEQUENCE.incrementAndGet();
        page.getByLabel("Label").fill(label);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();

        Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("New key"));
        assertThat(panel.getByRole(AriaRole.HEADING, new Locator.GetByRoleOptions().setName("New key created"))).isFocused();
        String shown = panel.locator("[data-secret=new]").textContent();
        Map<String, Object> created = list(api().get("/api/v1/apps/" + DEMO_APP + "/keys")).stream()
                .filter(key -> label.equals(key.get("label"))).findFirst().orElseThrow();
        then(shown).isEqualTo(created.get("secret"));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Locator copy = panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Copy new secret"));
        copy.click();
        assertThat(copy).hasText("Copied");
        then(page.evaluate("navigator.clipboard.readText()")).isEqualTo(shown);

        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Done")).click();
        assertThat(panel).hasCount(0);
        Locator row = page.locator("tr[data-key='" + created.get("key") + "']");
        assertThat(row).containsText(label);
        assertThat(row.locator("code[data-secret=masked]")).containsText("••••••••••••••••");
        then(page.content()).doesNotContain(shown);
        page.reload();
        assertThat(page.locator("tr[data-key='" + created.get("key") + "']")).isVisible();
        then(page.content()).doesNotContain(shown);
    }

    @Test
    void revokingAKeyAsksForConfirmationAndMarksItRevoked() {
        useAdminSession();
        long app = createApp("Revocable " + SEQUENCE.incrementAndGet());
        String key = (String) map(api().post("/api/v1/apps/" + app + "/keys", writeOptions(Map.of("label", "second")))).get("key");
        page.navigate("/dashboard/apps/" + app + "/keys");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke key " + key).setExact(true)).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("Revoke key " + key + "?");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke key")).click();

        assertThat(dialog).hasCount(0);
        assertThat(page.locator("tr[data-key='" + key + "']")).containsText("Revoked");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke key " + key).setExact(true))).hasCount(0);
        then(map(api().get("/api/v1/apps/" + app + "/keys/" + key))).containsEntry("active", false);
    }

    @Test
    void clientEventsSwitchIsSavedAndStillOnAfterAReload() {
        useAdminSession();
        long app = createApp("Toggles " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        Locator clientEvents = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Client events"));
        assertThat(clientEvents).not().isChecked();

        clientEvents.click();
        assertThat(page.getByText("Saved: client events on.")).isVisible();
        page.reload();
        assertThat(page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Client events"))).isChecked();
        then(map(map(api().get("/api/v1/apps/" + app)).get("features"))).containsEntry("clientEvents", true);
    }

    @Test
    void webPushShowsItsKeyEditsThePeriodAndRotatesOnlyAfterAConfirmationThatSaysWhatItDestroys() {
        useAdminSession();
        long app = createApp("Push " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        Locator card = page.locator("[data-section='web-push']");
        assertThat(card).containsText("Web Push is off");
        page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Web Push")).click();
        assertThat(page.getByText("Saved: web push on.")).isVisible();
        String first = (String) map(api().get("/api/v1/apps/" + app + "/vapid")).get("publicKey");
        assertThat(card.locator("[data-vapid-key='current']")).hasText(first);
        assertThat(card).containsText("Next rotation");

        Locator period = card.getByLabel("Rotation period");
        assertThat(period).hasValue("P30D");
        period.fill("30 days");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Web Push settings")).click();
        assertThat(card).containsText("Must be an ISO-8601 duration such as P30D or PT12H");
        card.getByLabel("Rotation period").fill("P7D");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save Web Push settings")).click();
        assertThat(card.getByText("Web Push settings saved.")).isVisible();
        then(map(api().get("/api/v1/apps/" + app + "/vapid"))).containsEntry("rotationPeriod", "P7D");

        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate now…")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("destroys the current private key and every push subscription made with it");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
        then(map(api().get("/api/v1/apps/" + app + "/vapid"))).containsEntry("publicKey", first);

        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate now…")).click();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate key")).click();
        assertThat(dialog).hasCount(0);
        String second = (String) map(api().get("/api/v1/apps/" + app + "/vapid")).get("publicKey");
        then(second).isNotEqualTo(first);
        assertThat(card.locator("[data-vapid-key='current']")).hasText(second);
    }

    @Test
    void aCsrfCookiePlantedAfterThePageLoadedDoesNotChangeWhatTheDashboardSends() {
        useAdminSession();
        long app = createApp("Planted " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        Locator clientEvents = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Client events"));
        assertThat(clientEvents).not().isChecked();
        // what a sibling subdomain or a plain-HTTP answer could plant: a CSRF cookie of someone else's choosing
        context.addCookies(List.of(new Cookie("XSRF-TOKEN", "planted-by-someone-else").setDomain("127.0.0.1").setPath("/")));

        clientEvents.click();
        assertThat(page.getByText("Saved: client events on.")).isVisible();
        then(map(map(api().get("/api/v1/apps/" + app)).get("features"))).containsEntry("clientEvents", true);
    }

    @Test
    void signingOutEndsTheSessionAndADeepLinkLeadsBackAfterSigningInAgain() {
        signIn(page, ADMIN, ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Vask"))).isVisible();
        assertThat(page.getByText("You are signed out.")).isVisible();
        then(api().get("/api/v1/session").status()).isEqualTo(401);

        page.navigate("/dashboard/apps/" + DEMO_APP + "/keys");
        assertThat(page).hasURL(Pattern.compile("/dashboard/sign-in\\?next="));
        page.getByLabel("Email").fill(ADMIN);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page).hasURL(Pattern.compile("/dashboard/apps/" + DEMO_APP + "/keys$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText("Demo app");
    }

    @Test
    void validationErrorFromTheApiIsShownNextToTheFieldThatCausedIt() {
        useAdminSession();
        page.navigate("/dashboard/account");
        page.getByLabel("Current password").fill(ADMIN_PASSWORD);
        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill("short");
        page.getByLabel("New password again").fill("short");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change password")).click();

        Locator newPassword = page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true));
        assertThat(newPassword).hasAttribute("aria-invalid", "true");
        assertThat(newPassword).isFocused();
        assertThat(page.locator(".field:has(input[name=newPassword]) .field-error")).hasText("Must be at least 10 characters.");
        assertThat(page.locator("form[aria-labelledby=password-title] [role=alert]")).hasText("One field needs correcting: see below.");
        assertThat(page.getByLabel("Current password")).not().hasAttribute("aria-invalid", "true");
    }

    @Test
    void apiTokenIsShownOnceWorksAndStopsWorkingWhenRevoked() {
        useAdminSession();
        page.navigate("/dashboard/account");
        String name = "ci " + SEQUENCE.incrementAndGet();
        page.getByLabel("Name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();

        Locator panel = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("New token"));
        String token = panel.locator("[data-token=new]").textContent();
        then(token).startsWith("vask_pat_");
        then(bearer(token, "/api/v1/apps")).isEqualTo(200);
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Done")).click();
        then(page.content()).doesNotContain(token);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke token " + name).setExact(true)).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke token")).click();
        assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(name))).containsText("Revoked");
        then(bearer(token, "/api/v1/apps")).isEqualTo(401);
    }

    @Test
    void deletingAnAppNeedsItsNameTypedFirst() {
        useAdminSession();
        String name = "Doomed " + SEQUENCE.incrementAndGet();
        long app = createApp(name);
        page.navigate("/dashboard/apps/" + app + "/settings");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete app…")).click();

        Locator dialog = page.getByRole(AriaRole.DIALOG);
        Locator confirm = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete app"));
        assertThat(confirm).isDisabled();
        dialog.getByLabel("Type the app's name").fill(name.substring(1));
        assertThat(confirm).isDisabled();
        dialog.getByLabel("Type the app's name").fill(name);
        confirm.click();

        assertThat(page).hasURL(Pattern.compile("/dashboard/apps$"));
        assertThat(page.getByRole(AriaRole.STATUS)).containsText(name + " was deleted.");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name))).hasCount(0);
        then(api().get("/api/v1/apps/" + app).status()).isEqualTo(404);
    }

    @Test
    void signUpCreatesAnAccountThatSeesOnlyItsOwnTenant() {
        String email = "sign-up-" + SEQUENCE.incrementAndGet() + "@example.com";
        page.navigate("/dashboard/sign-in");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Create an account")).click();
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("plenty of loose tea leaves");
        page.getByLabel("Tenant name").fill("Tea Room");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();

        assertThat(page).hasURL(Pattern.compile("/dashboard/apps$"));
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Welcome to Vask");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("No apps yet"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Demo app"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))).containsText(email);
    }

    @Test
    void developerSeesTheLimitsButCannotChangeThem() {
        useAdminSession();
        String email = "developer-" + SEQUENCE.incrementAndGet() + "@example.com";
        String password = "a developer's own passphrase";
        then(api().post("/api/v1/accounts", RequestOptions.create().setData(Map.of("email", email, "password", password))).status())
                .isEqualTo(201);
        then(api().post("/api/v1/tenants/" + defaultTenantId() + "/invitations", writeOptions(Map.of("email", email, "role", "developer")))
                .status()).isEqualTo(201);

        try (BrowserContext developerContext = newContext()) {
            Page developer = developerContext.newPage();
            watch(developer);
            developer.navigate(path(MAIL.awaitLink(email, "Verify your email address")));
            assertThat(developer.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Address verified"))).isVisible();
            signIn(developer, email, password);
            developer.navigate(path(MAIL.awaitLink(email, "You are invited")));
            developer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept the invitation")).click();
            assertThat(developer.getByRole(AriaRole.STATUS)).containsText("You joined Default as developer");
            developer.navigate("/dashboard/apps/" + DEMO_APP + "/settings");
            assertThat(developer.getByText("Only admins and owners of the tenant can change limits; your role is developer."))
                    .isVisible();
            assertThat(developer.getByLabel("Connections")).isDisabled();
            assertThat(developer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits"))).hasCount(0);
            assertThat(developer.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Client events"))).isEnabled();
        }
    }

    @Test
    void limitOutOfRangeIsRefusedNextToItsFieldAndAValidOneIsSaved() {
        useAdminSession();
        long app = createApp("Limited " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        Locator messageSize = page.getByLabel("Message size (bytes)");
        messageSize.fill("0");
        page.getByLabel("Connections").fill("500");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits")).click();

        assertThat(messageSize).hasAttribute("aria-invalid", "true");
        assertThat(page.locator(".field:has(input[name='limits.maxMessageBytes']) .field-error")).hasText("Must be between 1 and 1048576.");
        then(map(map(api().get("/api/v1/apps/" + app)).get("limits"))).containsEntry("maxConnections", null);

        messageSize.fill("2048");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits")).click();
        assertThat(page.getByText("Limits saved.")).isVisible();
        assertThat(messageSize).not().hasAttribute("aria-invalid", "true");
        then(map(map(api().get("/api/v1/apps/" + app)).get("limits"))).containsEntry("maxMessageBytes", 2048.0)
                .containsEntry("maxConnections", 500.0);
    }

    @Test
    void renamedAppShowsItsNewNameInTheHeader() {
        useAdminSession();
        long app = createApp("Old name " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        String name = "New name " + SEQUENCE.incrementAndGet();
        page.getByLabel("App name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rename app")).click();

        assertThat(page.getByText("Renamed.")).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText(name);
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Breadcrumb"))).containsText(name);
        assertThat(page).hasTitle(name + " · Vask");
        then(map(api().get("/api/v1/apps/" + app))).containsEntry("name", name);
    }

    @Test
    void disablingAnAppAsksFirstWhileEnablingItDoesNot() {
        useAdminSession();
        long app = createApp("Switchable " + SEQUENCE.incrementAndGet());
        page.navigate("/dashboard/apps/" + app + "/settings");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable app")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        assertThat(dialog).containsText("closes the app's sockets (4003)");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable app")).click();

        assertThat(dialog).hasCount(0);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText("Disabled");
        then(map(api().get("/api/v1/apps/" + app))).containsEntry("enabled", false);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enable app")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText("Enabled");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable app"))).isFocused();
        then(map(api().get("/api/v1/apps/" + app))).containsEntry("enabled", true);
    }

    @Test
    void aSignUpVerifiesItsAddressFromTheMailedLink() {
        String email = "verify-" + SEQUENCE.incrementAndGet() + "@example.com";
        page.navigate("/dashboard/sign-up");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("plenty of loose tea leaves");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("We mailed a link to " + email);
        then(map(api().get("/api/v1/account"))).containsEntry("emailVerified", false);

        String first = MAIL.awaitLink(email, "Verify your email address");
        page.navigate("/dashboard/invitations");
        assertThat(page.getByText("Your address is not verified yet.")).isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send a new verification link")).click();
        assertThat(page.getByText("Sent to " + email + ".")).isVisible();

        String link = MAIL.awaitLink(email, "Verify your email address");
        page.navigate(path(link));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Address verified"))).isVisible();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText(email + " is verified");
        then(page.url()).as("the token leaves the address bar").doesNotContain("token");
        then(map(api().get("/api/v1/account"))).containsEntry("emailVerified", true);
        for (String used : List.of(link, first)) { // used once, or replaced by the newer link
            page.navigate(path(used));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("This link does not work"))).isVisible();
        }
    }

    @Test
    void aForgottenPasswordIsResetFromTheSignInPage() {
        String email = "forgetful-" + SEQUENCE.incrementAndGet() + "@example.com";
        then(api().post("/api/v1/accounts", RequestOptions.create().setData(Map.of("email", email, "password", "my first long passphrase")))
                .status()).isEqualTo(201);
        page.navigate("/dashboard/sign-in");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Forgot your password?")).click();
        page.getByLabel("Email").fill(email);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send a reset link")).click();
        assertThat(page.getByText("If an account has the address " + email)).isVisible();

        page.navigate(path(MAIL.awaitLink(email, "Reset your Vask password")));
        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill("password123");
        page.getByLabel("New password again").fill("password123");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set new password")).click();
        assertThat(page.locator(".field:has(input[name=newPassword]) .field-error")).containsText("Is too easy to guess");

        page.getByLabel("New password", new Page.GetByLabelOptions().setExact(true)).fill("a second, better passphrase");
        page.getByLabel("New password again").fill("a second, better passphrase");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set new password")).click();
        assertThat(page.getByText("Your password is changed")).isVisible();
        signIn(page, email, "a second, better passphrase");
        then(map(api().get("/api/v1/account"))).containsEntry("emailVerified", true);
    }

    @Test
    void anAdminInvitesFromTheMembersPageAndTheInviteeAcceptsWhileAnotherInvitationIsDeclinedAndAThirdRevoked() {
        String invitee = "invitee-" + SEQUENCE.incrementAndGet() + "@example.com";
        String declining = "declining-" + SEQUENCE.incrementAndGet() + "@example.com";
        String revoked = "revoked-" + SEQUENCE.incrementAndGet() + "@example.com";
        useAdminSession();
        page.navigate("/dashboard/members");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Members of Default"))).isVisible();
        for (String email : List.of(invitee, declining, revoked)) {
            page.getByLabel("Email").fill(email);
            page.getByLabel("Role").selectOption("developer");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send invitation")).click();
            assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(email))).containsText("developer");
        }

        try (BrowserContext inviteeContext = newContext()) {
            Page person = inviteeContext.newPage();
            watch(person);
            String link = MAIL.awaitLink(invitee, "You are invited");
            // not signed up yet: the link leads through sign-in and back
            verifiedAccount(invitee, "an invitee's passphrase here");
            person.navigate(path(link));
            assertThat(person).hasURL(Pattern.compile("/dashboard/sign-in\\?next="));
            person.getByLabel("Email").fill(invitee);
            person.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("an invitee's passphrase here");
            person.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            assertThat(person.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("You opened an invitation link"))).isVisible();
            assertThat(person.locator("tr", new Page.LocatorOptions().setHasText("Default"))).containsText(ADMIN);
            person.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept the invitation")).click();
            assertThat(person.getByRole(AriaRole.STATUS)).containsText("You joined Default as developer");
            assertThat(person.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Demo app"))).isVisible();
        }
        try (BrowserContext decliningContext = newContext()) {
            Page person = decliningContext.newPage();
            watch(person);
            verifiedAccount(declining, "a decliner's passphrase here");
            signIn(person, declining, "a decliner's passphrase here");
            person.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Invitations")).click();
            person.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Decline invitation to Default")).click();
            person.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Decline invitation")).click();
            assertThat(person.getByText("No open invitations to your address.")).isVisible();
        }
        page.reload();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke invitation to " + revoked)).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke invitation")).click();
        assertThat(page.locator("section[aria-labelledby=invitations-title] tr", new Page.LocatorOptions().setHasText(revoked))).hasCount(0);
        assertThat(page.locator("section[aria-labelledby=invitations-title] tr", new Page.LocatorOptions().setHasText(declining))).hasCount(0);
        assertThat(page.locator("section[aria-labelledby=members-title] tr", new Page.LocatorOptions().setHasText(invitee)))
                .containsText("developer");
    }

    @Test
    void theOperatorCreatesAPlanAndPutsATenantOnIt() {
        String owner = "planned-" + SEQUENCE.incrementAndGet() + "@example.com";
        then(api().post("/api/v1/accounts", RequestOptions.create().setData(Map.of("email", owner, "password", "an owner's passphrase here",
                "tenantName", "Planned " + SEQUENCE.get()))).status()).isEqualTo(201);
        useAdminSession();
        page.navigate("/dashboard/apps");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Operator")).click();
        assertThat(page.locator("tr[data-plan=default]")).containsText("1,000");
        String plan = "Starter " + SEQUENCE.incrementAndGet();
        page.getByLabel("Plan name").fill(plan);
        page.getByLabel("Connections per app").fill("50");
        page.getByLabel("Message size (bytes)").fill("2000");
        page.getByLabel("Client events per second").fill("5");
        page.getByLabel("Apps per tenant").fill("2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create plan")).click();
        Locator row = page.locator("tr[data-plan]", new Page.LocatorOptions().setHasText(plan));
        assertThat(row).containsText("2,000");

        Locator tenant = page.locator("tr", new Page.LocatorOptions().setHasText(owner));
        tenant.getByRole(AriaRole.COMBOBOX).selectOption(new com.microsoft.playwright.options.SelectOption().setLabel(plan));
        assertThat(tenant).containsText("Now on " + plan + ".");
        Map<String, Object> listed = list(api().get("/api/v1/operator/tenants")).stream()
                .filter(candidate -> ((List<?>) candidate.get("owners")).contains(owner)).findFirst().orElseThrow();
        then(listed).containsEntry("plan", plan);

        try (BrowserContext ownerContext = newContext()) {
            Page person = ownerContext.newPage();
            watch(person);
            signIn(person, owner, "an owner's passphrase here");
            assertThat(person.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Operator"))).hasCount(0);
            person.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Members")).click();
            assertThat(person.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Plan: " + plan))).isVisible();
        }
    }

    // ---- helpers

    private static final TestMailServer MAIL = TestMailServer.shared();

    /** The path of a mailed link (they name localhost; the browser here talks to 127.0.0.1). */
    private static String path(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    /** Signs up through the API and follows the verification link mailed to the address. */
    private void verifiedAccount(String email, String password) {
        APIRequestContext anonymous = playwright.request().newContext(new APIRequest.NewContextOptions().setBaseURL("http://127.0.0.1:" + port));
        try {
            then(anonymous.post("/api/v1/accounts", RequestOptions.create().setData(Map.of("email", email, "password", password))).status())
                    .isEqualTo(201);
            String token = TestMailServer.token(MAIL.awaitLink(email, "Verify your email address"));
            then(anonymous.post("/api/v1/email-verification", RequestOptions.create().setData(Map.of("token", token))).status()).isEqualTo(200);
        }
        finally {
            anonymous.dispose();
        }
    }

    private BrowserContext newContext() {
        BrowserContext created = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL("http://127.0.0.1:" + port)
                .setViewportSize(1280, 900));
        created.setDefaultTimeout(10_000);
        return created;
    }

    /** Any uncaught error or console error (CSP and Trusted Types violations are console errors) fails the test. */
    private void watch(Page target) {
        target.onPageError(error -> pageErrors.add("page error: " + error));
        target.onConsoleMessage(message -> {
            // the browser logs every non-2xx answer; the tests check those answers themselves
            if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
                pageErrors.add("console: " + message.text());
            }
        });
    }

    /** Starts this test's context signed in as the first-start admin, with a session opened once for the class. */
    private void useAdminSession() {
        synchronized (DashboardBrowserTests.class) {
            if (adminSession == null) {
                try (BrowserContext signingIn = newContext()) {
                    APIResponse response = signingIn.request().post("/api/v1/session",
                            RequestOptions.create().setData(Map.of("email", ADMIN, "password", ADMIN_PASSWORD)));
                    then(response.status()).as(response.text()).isEqualTo(200);
                    adminSession = signingIn.cookies();
                }
            }
        }
        context.addCookies(adminSession);
    }

    private static void signIn(Page target, String email, String password) {
        target.navigate("/dashboard/sign-in");
        target.getByLabel("Email").fill(email);
        target.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        target.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(target.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Apps").setExact(true))).isVisible();
    }

    /** The management API with this context's session cookie (what the page itself uses). */
    private APIRequestContext api() {
        return context.request();
    }

    /** A write with the session cookie: it must carry the CSRF token, as the pages do. */
    private RequestOptions writeOptions(Object body) {
        String csrf = context.cookies().stream().filter(cookie -> cookie.name.equals("XSRF-TOKEN")).map(cookie -> cookie.value)
                .findFirst().orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie: sign in first"));
        return RequestOptions.create().setHeader("X-XSRF-TOKEN", csrf).setData(body);
    }

    private long createApp(String name) {
        APIResponse response = api().post("/api/v1/tenants/" + defaultTenantId() + "/apps", writeOptions(Map.of("name", name)));
        then(response.status()).as(response.text()).isEqualTo(201);
        long app = ((Number) map(response).get("id")).longValue();
        then(api().post("/api/v1/apps/" + app + "/keys", writeOptions(Map.of())).status()).isEqualTo(201);
        return app;
    }

    private long defaultTenantId() {
        return list(api().get("/api/v1/tenants")).stream().filter(tenant -> "Default".equals(tenant.get("name")))
                .map(tenant -> ((Number) tenant.get("id")).longValue()).findFirst().orElseThrow();
    }

    /** The status of a request made with an API token alone (no cookie). */
    private int bearer(String token, String path) {
        APIRequestContext anonymous = playwright.request().newContext(new APIRequest.NewContextOptions().setBaseURL("http://127.0.0.1:" + port));
        try {
            return anonymous.get(path, RequestOptions.create().setHeader("Authorization", "Bearer " + token)).status();
        }
        finally {
            anonymous.dispose();
        }
    }

    private static Map<String, Object> map(APIResponse response) {
        then(response.ok()).as(response.status() + " " + response.text()).isTrue();
        return JSON.fromJson(response.text(), new TypeToken<Map<String, Object>>() { }.getType());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<Map<String, Object>> list(APIResponse response) {
        then(response.ok()).as(response.status() + " " + response.text()).isTrue();
        return JSON.fromJson(response.text(), new TypeToken<List<Map<String, Object>>>() { }.getType());
    }
}
