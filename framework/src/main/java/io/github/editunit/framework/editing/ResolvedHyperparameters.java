package io.github.editunit.framework.editing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hyperparameters {@link HyperparameterCatalog#resolve} found for one method, and where they came from.
 *
 * @param method the method they were resolved for ({@code rome}, {@code c-rome}, ...)
 * @param node the values after the overrides and the method's rules: what the editor binds
 * @param origin the file read (absolute, normalised path) or {@code catalog:NAME} for a shipped set
 *     ({@code catalog:NAME/PROFILE} for a profile other than {@code reference})
 * @param source the file's own account of itself ({@link #sourceOf})
 */
public record ResolvedHyperparameters(String method, ObjectNode node, String origin, String source) {

    /** Longest {@code _source} text {@link #sourceOf} keeps (longer ones are cut, ending in {@code …}). */
    public static final int SOURCE_LENGTH = 120;

    /** What {@link #sourceOf} says of a file that carries neither {@code _provenance} nor {@code _source}. */
    public static final String UNKNOWN = "unknown";

    /** A reference as the shipped files cite it: {@code [ROME]}, {@code [SEED]}, {@code [rROME]}. */
    private static final Pattern CITATION = Pattern.compile("\\[[A-Za-z][A-Za-z0-9-]*\\]");

    /**
     * Where a hyperparameter file says its values came from, in one line: {@code _provenance.tool} and
     * {@code _provenance.date} ({@code editunit tune, 2025-05-01}) when it has either, else its
     * {@code _source} text (what the shipped files carry; an object tracing each value is summarised by
     * the references it cites: {@code per-value _source, citing [ROME], [SEED]}), cut to
     * {@value #SOURCE_LENGTH} characters, else {@value #UNKNOWN}.
     */
    public static String sourceOf(JsonNode file) {
        JsonNode provenance = file == null ? null : file.get("_provenance");
        if (provenance != null && provenance.isObject()) {
            String tool = text(provenance.get("tool"));
            String date = text(provenance.get("date"));
            if (tool != null || date != null) {
                return tool == null ? date : date == null ? tool : tool + ", " + date;
            }
        }
        JsonNode sourceNode = file == null ? null : file.get("_source");
        String source = sourceNode != null && sourceNode.isObject() ? perValue(sourceNode) : text(sourceNode);
        if (source == null) {
            return UNKNOWN;
        }
        String line = source.replaceAll("\\s+", " ");
        return line.length() <= SOURCE_LENGTH ? line : line.substring(0, SOURCE_LENGTH - 1).stripTrailing() + "…";
    }

    /**
     * A {@code _source} object (the shipped reference sets trace each value by name) in one line: the
     * references it cites ({@code [ROME]}, {@code [SEED]}, ...) in order of first mention, else its keys.
     */
    private static String perValue(JsonNode source) {
        Set<String> cited = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>();
        source.fields().forEachRemaining(e -> {
            keys.add(e.getKey());
            Matcher m = CITATION.matcher(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            while (m.find()) {
                cited.add(m.group());
            }
        });
        if (keys.isEmpty()) {
            return null;
        }
        return "per-value _source, " + (cited.isEmpty() ? "on " + String.join(", ", keys)
                : "citing " + String.join(", ", cited));
    }

    /** A non-blank scalar as trimmed text (an object or array as its JSON), or null. */
    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        String t = (n.isValueNode() ? n.asText() : n.toString()).trim();
        return t.isEmpty() ? null : t;
    }
}
