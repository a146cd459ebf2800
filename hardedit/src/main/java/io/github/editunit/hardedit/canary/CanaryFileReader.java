package io.github.editunit.hardedit.canary;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a canary file: a JSON array of facts the edits must not touch, each record one of
 * <ul>
 *   <li>{@code {"prompt": "...", "target": "..."}} (also {@code "object"} or {@code "ground_truth"} for the target) —
 *       the simple list, and the EasyEdit/CounterFact flat records, whose {@code prompt} + {@code ground_truth}
 *       is the unedited fact ({@code target_new} is ignored);</li>
 *   <li>an original CounterFact record: {@code requested_rewrite.prompt} formatted with its {@code subject},
 *       and {@code requested_rewrite.target_true.str};</li>
 * </ul>
 * or such an array wrapped in an object ({@code {"canaries": [...]}}, {@code {"cases": [...]}} or an
 * object with a single array field). Every error names the file, the line and the field; a file
 * without facts is an error.
 */
public final class CanaryFileReader {

    private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private final ObjectMapper mapper = new ObjectMapper(json);

    public CanarySet read(Path file) {
        String name = file.toString();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new CanarySet(file.getFileName().toString(), read(in, name));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new CanaryFormatException(name + (at == null ? "" : ":" + at.getLineNr()) + ": not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CanaryFormatException("cannot read canary file " + name + ": " + e.getMessage(), e);
        }
    }

    private List<CanaryFact> read(Reader in, String name) throws IOException {
        List<CanaryFact> facts = new ArrayList<>();
        try (JsonParser p = json.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new CanaryFormatException(name + ": empty file, expected a JSON array of {\"prompt\", \"target\"}");
            }
            if (first == JsonToken.START_OBJECT) {
                enterWrappedArray(p, name);
            } else if (first != JsonToken.START_ARRAY) {
                throw new CanaryFormatException(name + ":" + p.currentTokenLocation().getLineNr()
                        + ": expected a JSON array of {\"prompt\", \"target\"}, found " + first);
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                index++;
                int line = p.currentTokenLocation().getLineNr();
                JsonNode record = mapper.readTree(p);
                facts.add(fact(record, name, line, index));
            }
            if (p.nextToken() != null && p.currentToken() != JsonToken.END_OBJECT) {
                throw new CanaryFormatException(name + ":" + p.currentTokenLocation().getLineNr()
                        + ": unexpected content after the array");
            }
        }
        if (facts.isEmpty()) {
            throw new CanaryFormatException(name + ": no canary facts (the array is empty)");
        }
        return facts;
    }

    /** Moves the parser into the array of {@code {"canaries": [...]}}, {@code {"cases": [...]}} or a single array field. */
    private void enterWrappedArray(JsonParser p, String name) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_ARRAY) {
                return;
            }
            if (field.equals("canaries") || field.equals("cases")) {
                throw new CanaryFormatException(name + ":" + p.currentTokenLocation().getLineNr() + ": field '" + field
                        + "' must be an array");
            }
            p.skipChildren();
        }
        throw new CanaryFormatException(name + ": the object has no array of canary facts (expected \"canaries\": [...])");
    }

    private static CanaryFact fact(JsonNode record, String name, int line, int index) {
        String where = name + ":" + line + " (record " + index + ")";
        if (!record.isObject()) {
            throw new CanaryFormatException(where + ": expected an object {\"prompt\", \"target\"}, found " + record.getNodeType());
        }
        JsonNode rewrite = record.get("requested_rewrite");
        if (rewrite != null) {
            String template = text(rewrite, "prompt", where, "requested_rewrite.prompt");
            String subject = text(rewrite, "subject", where, "requested_rewrite.subject");
            JsonNode targetTrue = rewrite.get("target_true");
            if (targetTrue == null || !targetTrue.isObject()) {
                throw new CanaryFormatException(where + ": field 'requested_rewrite.target_true' is missing or not an object");
            }
            String target = text(targetTrue, "str", where, "requested_rewrite.target_true.str");
            if (!template.contains("{}")) {
                throw new CanaryFormatException(where + ": field 'requested_rewrite.prompt' has no '{}' for the subject");
            }
            return new CanaryFact(template.replace("{}", subject), target.strip(), name + ":" + line);
        }
        String prompt = text(record, "prompt", where, "prompt");
        String targetField = record.has("target") ? "target" : record.has("object") ? "object" : "ground_truth";
        String target = text(record, targetField, where, record.has(targetField) ? targetField : "target");
        return new CanaryFact(prompt, target.strip(), name + ":" + line);
    }

    private static String text(JsonNode node, String key, String where, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new CanaryFormatException(where + ": field '" + field + "' is missing");
        }
        if (v.isArray() && v.size() > 0 && v.get(0).isTextual()) {
            v = v.get(0); // EasyEdit files sometimes give ground_truth as a one-element list
        }
        if (!v.isTextual()) {
            throw new CanaryFormatException(where + ": field '" + field + "' must be a string, found " + v.getNodeType());
        }
        if (v.asText().isBlank()) {
            throw new CanaryFormatException(where + ": field '" + field + "' is blank");
        }
        return v.asText();
    }
}
