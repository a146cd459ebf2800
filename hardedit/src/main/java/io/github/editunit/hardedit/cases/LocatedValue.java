package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A JSON value plus the position of its first token and of every nested value, keyed by path
 * ({@code "target_new"}, {@code "requested_rewrite.subject"}, {@code "locality[1].prompt"}).
 * For object members the position is that of the member's key.
 */
record LocatedValue(JsonNode node, Position start, Map<String, Position> positions) {

    /** A 1-based line and column. */
    record Position(int line, int column) {
    }

    /** The position of {@code path}, else of its nearest present parent, else the start of the value. */
    Position positionOf(String path) {
        for (String p = path; p != null && !p.isEmpty(); p = parent(p)) {
            Position found = positions.get(p);
            if (found != null) {
                return found;
            }
        }
        return start;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? null : path.substring(0, cut);
    }
}
