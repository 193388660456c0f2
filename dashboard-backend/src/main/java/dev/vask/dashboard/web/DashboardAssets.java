package dev.vask.dashboard.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * The dashboard's files ({@code classpath:/dashboard/}), read once at start-up and served from memory.
 * They are few and small (tens of kilobytes), so nothing is read from the jar on an event loop, and each
 * file gets a strong ETag from its content: browsers revalidate with {@code If-None-Match} and get 304
 * until a new Vask version changes the file.
 */
final class DashboardAssets {

    /** The application shell every page path answers with. */
    static final String SHELL = "index.html";

    private static final String LOCATION = "classpath:dashboard/";

    private final Map<String, Asset> assets;

    private DashboardAssets(Map<String, Asset> assets) {
        if (!assets.containsKey(SHELL)) {
            throw new IllegalStateException("The dashboard's files are missing: no " + LOCATION + SHELL + " on the class path");
        }
        this.assets = Collections.unmodifiableMap(assets);
    }

    /** Reads every file under {@code classpath:/dashboard/} (from the first class path entry that has the folder). */
    static DashboardAssets load(ClassLoader classLoader) {
        ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(classLoader);
        try {
            Resource root = resolver.getResource(LOCATION);
            if (!root.exists()) {
                throw new IllegalStateException("The dashboard's files are missing: no " + LOCATION + " on the class path");
            }
            String rootUrl = root.getURL().toString();
            Map<String, Asset> assets = new TreeMap<>();
            for (Resource resource : resolver.getResources(LOCATION + "**")) {
                String url = resource.getURL().toString();
                if (!url.startsWith(rootUrl) || url.endsWith("/") || !resource.isReadable()) {
                    continue; // folders
                }
                String path = url.substring(rootUrl.length());
                byte[] content = resource.getContentAsByteArray();
                assets.put(path, new Asset(path, content, mediaType(path), etag(content)));
            }
            return new DashboardAssets(assets);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read the dashboard's files from " + LOCATION, e);
        }
    }

    /** The file at this path below {@code /dashboard/} (such as {@code assets/js/main.js}), if there is one. */
    Optional<Asset> find(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    Asset shell() {
        return assets.get(SHELL);
    }

    /** How many files there are (for the start-up log). */
    int size() {
        return assets.size();
    }

    /** One file: its content, media type and entity tag. */
    record Asset(String path, byte[] content, MediaType mediaType, String etag) {
    }

    static MediaType mediaType(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        MediaType type = switch (extension) {
            case "html" -> MediaType.TEXT_HTML;
            // ES modules must come with a JavaScript type, or browsers refuse to run them
            case "js", "mjs" -> new MediaType("text", "javascript");
            case "css" -> new MediaType("text", "css");
            case "svg" -> new MediaType("image", "svg+xml");
            case "json" -> MediaType.APPLICATION_JSON;
            case "webmanifest" -> new MediaType("application", "manifest+json");
            case "txt" -> MediaType.TEXT_PLAIN;
            default -> MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        };
        boolean text = type.getType().equals("text") || type.getSubtype().endsWith("json") || type.getSubtype().endsWith("+xml");
        return text ? new MediaType(type, StandardCharsets.UTF_8) : type;
    }

    private static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
