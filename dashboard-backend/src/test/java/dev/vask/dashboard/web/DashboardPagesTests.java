package dev.vask.dashboard.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link DashboardPages} answers, on its routes alone (no server, no database): files, the shell
 * for page paths, 404 for missing files, the redirect, conditional and HEAD requests, the settings.
 */
class DashboardPagesTests {

    private static final DashboardAssets ASSETS = DashboardAssets.load(DashboardPagesTests.class.getClassLoader());
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");
    private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");
    private static final Pattern SHELL_REFERENCE = Pattern.compile("(?:href|src)=\"(/dashboard/assets/[^\"#?]+)\"");
    private static final Pattern MODULE_IMPORT = Pattern.compile("(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*)['\"](\\.{1,2}/[^'\"]+)['\"]");

    private final WebTestClient client = client(true);

    private static WebTestClient client(boolean signupEnabled) {
        return WebTestClient.bindToRouterFunction(new DashboardPages(ASSETS, new DashboardSettings(signupEnabled)).routes()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/", "/dashboard/apps", "/dashboard/apps/123", "/dashboard/apps/123/keys",
            "/dashboard/account", "/dashboard/sign-in?next=%2Fapps%2F1"})
    void pagePathsAnswerTheApplicationShell(String path) {
        String body = client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(HTML)
                .expectHeader().cacheControl(CacheControl.noCache())
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("<script type=\"module\" src=\"/dashboard/assets/js/main.js\"></script>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/assets/js/missing.js", "/dashboard/missing.css", "/dashboard/assets/missing",
            "/dashboard/apps/1/logo.png", "/dashboard/assets/"})
    void missingFilesAnswer404InsteadOfTheShell(String path) {
        client.get().uri(path).exchange()
                .expectStatus().isNotFound()
                .expectBody().isEmpty();
    }

    @Test
    void everyFileTheShellLoadsIsServedWithItsMediaTypeAndNoFileIsOrphaned() {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        references(SHELL_REFERENCE, "/dashboard/", get("/dashboard/")).forEach(pending::add);
        while (!pending.isEmpty()) {
            String path = pending.pop();
            if (!reached.add(path)) {
                continue;
            }
            EntityExchangeResult<byte[]> result = client.get().uri(path).exchange()
                    .expectStatus().isOk()
                    .expectBody().returnResult();
            MediaType type = result.getResponseHeaders().getContentType();
            assertThat(type).as(path).isEqualTo(DashboardAssets.mediaType(path));
            if (path.endsWith(".js")) {
                assertThat(type).as(path).isEqualTo(JAVASCRIPT);
                references(MODULE_IMPORT, path, new String(result.getResponseBody(), StandardCharsets.UTF_8)).forEach(pending::add);
            }
        }
        assertThat(reached).contains("/dashboard/assets/js/main.js", "/dashboard/assets/dashboard.css", "/dashboard/assets/favicon.svg");
        Set<String> files = new LinkedHashSet<>();
        for (String candidate : reached) {
            files.add(candidate.substring("/dashboard/".length()));
        }
        files.add(DashboardAssets.SHELL);
        assertThat(files).as("files under classpath:/dashboard/ that nothing loads").hasSize(ASSETS.size());
    }

    @Test
    void dashboardWithoutTrailingSlashRedirectsToTheShellKeepingTheQuery() {
        client.get().uri("/dashboard").exchange()
                .expectStatus().isEqualTo(HttpStatus.PERMANENT_REDIRECT)
                .expectHeader().location("/dashboard/");
        client.get().uri("/dashboard?from=banner").exchange()
                .expectStatus().isEqualTo(HttpStatus.PERMANENT_REDIRECT)
                .expectHeader().location("/dashboard/?from=banner");
    }

    @Test
    void unchangedFileAnswers304ToItsEntityTag() {
        String etag = client.get().uri("/dashboard/assets/js/main.js").exchange()
                .expectStatus().isOk()
                .returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(etag).startsWith("\"").endsWith("\"");
        client.get().uri("/dashboard/assets/js/main.js").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectHeader().cacheControl(CacheControl.noCache())
                .expectBody().isEmpty();
        client.get().uri("/dashboard/apps/7").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk();
    }

    @Test
    void headRequestAnswersTheHeadersWithoutTheBody() {
        client.head().uri("/dashboard/apps/7").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(HTML)
                .expectHeader().contentLength(ASSETS.shell().content().length)
                .expectBody().isEmpty();
    }

    @Test
    void settingsTellThePagesWhetherSignUpIsOpen() {
        client.get().uri("/dashboard/settings.json").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().cacheControl(CacheControl.noStore())
                .expectBody().json("{\"signupEnabled\": true}", true);
        client(false).get().uri("/dashboard/settings.json").exchange()
                .expectBody().json("{\"signupEnabled\": false}", true);
    }

    @Test
    void filesGetTheMediaTypesBrowsersRequire() {
        assertThat(DashboardAssets.mediaType("assets/js/main.js")).isEqualTo(JAVASCRIPT);
        assertThat(DashboardAssets.mediaType("index.html")).isEqualTo(HTML);
        assertThat(DashboardAssets.mediaType("assets/dashboard.css")).isEqualTo(MediaType.parseMediaType("text/css;charset=UTF-8"));
        assertThat(DashboardAssets.mediaType("assets/favicon.svg")).isEqualTo(MediaType.parseMediaType("image/svg+xml;charset=UTF-8"));
        assertThat(DashboardAssets.mediaType("assets/logo.png")).isEqualTo(MediaType.IMAGE_PNG);
    }

    private String get(String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private static Set<String> references(Pattern pattern, String from, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(URI.create(from).resolve(matcher.group(1)).getPath());
        }
        return found;
    }
}
