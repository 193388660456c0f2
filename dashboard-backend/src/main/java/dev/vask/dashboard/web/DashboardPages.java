package dev.vask.dashboard.web;

import java.net.URI;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Answers every GET under {@code /dashboard}: a file when the path names one, the application shell
 * for page paths (deep links such as {@code /dashboard/apps/123} are the client-side router's), and
 * 404 for a file that does not exist, so that a mistyped script or stylesheet fails loudly instead
 * of arriving as HTML.
 */
final class DashboardPages {

    static final String BASE = "/dashboard";

    private static final RequestPredicate READ = RequestPredicates.method(HttpMethod.GET).or(RequestPredicates.method(HttpMethod.HEAD));

    private final DashboardAssets assets;
    private final DashboardSettings settings;

    DashboardPages(DashboardAssets assets, DashboardSettings settings) {
        this.assets = assets;
        this.settings = settings;
    }

    /**
     * {@code /dashboard} (redirect), {@code /dashboard/settings.json}, and everything below {@code /dashboard/};
     * GET and HEAD alike (HEAD answers the same headers without the body).
     */
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .route(RequestPredicates.path(BASE).and(READ), this::redirectToShell)
                .route(RequestPredicates.path(BASE + "/settings.json").and(READ), this::settings)
                .route(RequestPredicates.path(BASE + "/**").and(READ), this::page)
                .build();
    }

    /** {@code /dashboard} to {@code /dashboard/}, so that the pages' relative world starts at the right folder. */
    Mono<ServerResponse> redirectToShell(ServerRequest request) {
        String query = request.uri().getRawQuery();
        return ServerResponse.permanentRedirect(URI.create(BASE + "/" + (query == null ? "" : "?" + query))).build();
    }

    Mono<ServerResponse> settings(ServerRequest request) {
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore())
                .bodyValue(settings);
    }

    Mono<ServerResponse> page(ServerRequest request) {
        String path = request.requestPath().pathWithinApplication().value();
        String relative = path.length() > BASE.length() + 1 ? path.substring(BASE.length() + 1) : "";
        if (relative.isEmpty()) {
            return serve(request, assets.shell());
        }
        return assets.find(relative)
                .map(asset -> serve(request, asset))
                .orElseGet(() -> namesAFile(relative) ? ServerResponse.notFound().build() : serve(request, assets.shell()));
    }

    /** Paths of files: everything under {@code assets/}, and any path whose last segment has an extension. */
    static boolean namesAFile(String relative) {
        String last = relative.substring(relative.lastIndexOf('/') + 1);
        return relative.startsWith("assets/") || last.contains(".");
    }

    private static Mono<ServerResponse> serve(ServerRequest request, DashboardAssets.Asset asset) {
        // no-cache: the browser keeps the file but asks each time; the ETag makes the answer a bodiless 304
        CacheControl revalidate = CacheControl.noCache();
        return request.checkNotModified(asset.etag())
                .flatMap(notModified -> ServerResponse.from(notModified).cacheControl(revalidate).build())
                .switchIfEmpty(Mono.defer(() -> {
                    ServerResponse.BodyBuilder ok = ServerResponse.ok()
                            .contentType(asset.mediaType())
                            .contentLength(asset.content().length)
                            .eTag(asset.etag())
                            .cacheControl(revalidate);
                    return request.method() == HttpMethod.HEAD ? ok.build() : ok.bodyValue(asset.content());
                }));
    }
}
