package dev.vask.server.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the tenant database is, parsed from {@code VASK_DATABASE_URL}: either the
 * {@code postgres://user:password@host:port/database?sslmode=require} form that hosting providers
 * hand out, or a JDBC URL ({@code jdbc:postgresql://host:port/database?user=..&password=..}).
 * Produces the JDBC URL Flyway migrates with and the R2DBC URL the application uses.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password, Map<String, String> options) {

    private static final int DEFAULT_PORT = 5432;

    /**
     * @throws IllegalArgumentException with a message that names the problem (never the password)
     */
    public static DatabaseUrl parse(String text) {
        String url = text.trim();
        if (url.startsWith("jdbc:")) {
            url = url.substring(5);
        }
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException e) {
            throw new IllegalArgumentException("VASK_DATABASE_URL is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("postgres") || scheme.equals("postgresql"))) {
            throw new IllegalArgumentException("VASK_DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("VASK_DATABASE_URL has no host");
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : decode(uri.getRawPath().substring(1));
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                String key = decode(kv[0]);
                String value = kv.length > 1 ? decode(kv[1]) : "";
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> options.put(key, value);
                }
            }
        }
        return new DatabaseUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT, database, user, password, options);
    }

    /** JDBC URL for Flyway; fails fast (5 s connect timeout) when the server does not answer. */
    public String jdbcUrl() {
        Map<String, String> jdbcOptions = new LinkedHashMap<>(options);
        jdbcOptions.putIfAbsent("connectTimeout", "5");
        jdbcOptions.putIfAbsent("ApplicationName", "vask");
        return "jdbc:postgresql://" + hostAndPort() + "/" + database + query(jdbcOptions);
    }

    /** R2DBC URL; sslmode is spelled sslMode there. */
    public String r2dbcUrl() {
        Map<String, String> r2dbcOptions = new LinkedHashMap<>();
        options.forEach((key, value) -> r2dbcOptions.put(key.equals("sslmode") ? "sslMode" : key, value));
        r2dbcOptions.putIfAbsent("connectTimeout", "PT5S");
        r2dbcOptions.putIfAbsent("applicationName", "vask");
        return "r2dbc:postgresql://" + hostAndPort() + "/" + database + query(r2dbcOptions);
    }

    public String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** What may be shown to an operator: everything but the password. */
    public String describe() {
        return user + "@" + hostAndPort() + "/" + database;
    }

    /** spring.r2dbc.* and spring.flyway.* for this database. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", r2dbcUrl());
        properties.put("spring.r2dbc.username", user);
        properties.put("spring.r2dbc.password", password);
        properties.put("spring.flyway.url", jdbcUrl());
        properties.put("spring.flyway.user", user);
        properties.put("spring.flyway.password", password);
        properties.put("vask.database.description", describe());
        return properties;
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + "]";
    }

    private static String query(Map<String, String> options) {
        if (options.isEmpty()) {
            return "";
        }
        StringJoiner joiner = new StringJoiner("&", "?", "");
        options.forEach((key, value) -> joiner.add(encode(key) + "=" + encode(value)));
        return joiner.toString();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
