package io.github.editunit.framework.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** Reading helpers for {@code config.json} fields; every error names the file and the key. */
public final class ConfigJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private ConfigJson() {}

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static String text(JsonNode root, String field, String fallback) {
        return root.hasNonNull(field) ? root.get(field).asText() : fallback;
    }

    /** The first present of {@code names}, as an int; missing → error naming {@code names[0]}. */
    public static int integer(Path file, JsonNode root, String... names) throws IOException {
        Integer v = optionalInteger(file, root, names);
        if (v == null) {
            throw new IOException(file + ": field \"" + names[0] + "\" is missing");
        }
        return v;
    }

    /** The first present of {@code names} as an int, or null. Arrays give their first element. */
    public static Integer optionalInteger(Path file, JsonNode root, String... names) throws IOException {
        for (String n : names) {
            JsonNode v = root.get(n);
            if (v != null && !v.isNull()) {
                if (v.isArray() && v.size() > 0) {
                    v = v.get(0);
                }
                if (!v.canConvertToInt()) {
                    throw new IOException(file + ": field \"" + n + "\" must be an integer, got " + v);
                }
                return v.asInt();
            }
        }
        return null;
    }

    public static double number(Path file, JsonNode root, String field, double fallback) throws IOException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IOException(file + ": field \"" + field + "\" must be a number, got " + v);
        }
        return v.asDouble();
    }

    public static boolean bool(Path file, JsonNode root, String field, boolean fallback) throws IOException {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IOException(file + ": field \"" + field + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
