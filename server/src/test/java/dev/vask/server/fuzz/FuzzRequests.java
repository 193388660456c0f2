package dev.vask.server.fuzz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers the request generators share. */
final class FuzzRequests {

    private FuzzRequests() {
    }

    /** Generated entries as query parameters; a later entry with the same name replaces an earlier one. */
    static Map<String, String> toMap(List<Map.Entry<String, String>> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
        return map;
    }
}
