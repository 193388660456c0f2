package dev.vask.platform;

import java.util.List;
import java.util.Map;

/** Casts for JSON values read as plain maps and lists in tests. */
public final class TestJson {

    private TestJson() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
