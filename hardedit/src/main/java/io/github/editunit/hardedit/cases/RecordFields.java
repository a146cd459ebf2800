package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the members of one record, reporting missing or mistyped fields with their
 * position. Paths use '.' for nesting ({@code requested_rewrite.subject}).
 */
final class RecordFields {

    private final LocatedValue record;
    private final String file;
    private final int recordIndex;
    private final ProblemCollector problems;
    private String caseId;
    private int errors;

    RecordFields(LocatedValue record, String file, int recordIndex, ProblemCollector problems) {
        this.record = record;
        this.file = file;
        this.recordIndex = recordIndex;
        this.problems = problems;
    }

    void caseId(String id) {
        this.caseId = id;
    }

    String caseId() {
        return caseId;
    }

    boolean hasErrors() {
        return errors > 0;
    }

    /** The node at a dotted path, or null when absent. */
    JsonNode node(String path) {
        JsonNode current = record.node();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(key);
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                int index = Integer.parseInt(part.substring(bracket + 1, close));
                if (current == null || !current.isArray()) {
                    return null;
                }
                current = current.get(index);
                bracket = part.indexOf('[', close);
            }
        }
        return current;
    }

    boolean has(String path) {
        JsonNode n = node(path);
        return n != null && !n.isNull();
    }

    /** A required non-null string; reports "is missing" or a type error. */
    String requiredString(String path) {
        JsonNode n = node(path);
        if (n == null || n.isNull()) {
            error(path, n == null ? "is missing" : "is null but must be a string", true);
            return null;
        }
        return string(path, n);
    }

    /** An optional string: absent or null gives null. */
    String optionalString(String path) {
        JsonNode n = node(path);
        return n == null || n.isNull() ? null : string(path, n);
    }

    /** A required string that may also be given as an object {"str": ...} (CounterFact style). */
    String requiredStringOrStr(String path) {
        JsonNode n = node(path);
        if (n != null && n.isObject()) {
            return requiredString(path + ".str");
        }
        return requiredString(path);
    }

    /** An optional string that may also be given as an object {"str": ...}. */
    String optionalStringOrStr(String path) {
        JsonNode n = node(path);
        if (n != null && n.isObject()) {
            return requiredString(path + ".str");
        }
        return optionalString(path);
    }

    /** An optional array of strings: absent or null gives an empty list. */
    List<String> optionalStringList(String path) {
        JsonNode n = node(path);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            error(path, "must be an array of strings but is " + describe(n), true);
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            String s = string(path + "[" + i + "]", n.get(i));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** An optional case id: integer or string. Absent gives null. */
    String optionalId(String path) {
        JsonNode n = node(path);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() || n.isTextual()) {
            return n.asText();
        }
        error(path, "must be an integer or a string but is " + describe(n), true);
        return null;
    }

    private String string(String path, JsonNode n) {
        if (!n.isTextual()) {
            error(path, "must be a string but is " + describe(n), true);
            return null;
        }
        return n.textValue();
    }

    /** Reports an error on a field; {@code atField} chooses the field's own position over the record's. */
    void error(String path, String message, boolean atField) {
        errors++;
        problems.add(problem(CaseProblem.Severity.ERROR, path, message, atField));
    }

    void warning(String path, String message) {
        problems.add(problem(CaseProblem.Severity.WARNING, path, message, true));
    }

    CaseProblem problem(CaseProblem.Severity severity, String path, String message, boolean atField) {
        LocatedValue.Position pos = atField ? record.positionOf(path) : record.start();
        return new CaseProblem(severity, file, pos.line(), pos.column(), recordIndex, caseId, path, message);
    }

    /** The position of a field (or the record's brace when the field is absent) as a CaseSource. */
    CaseSource sourceOf(String path) {
        LocatedValue.Position pos = record.positionOf(path);
        return new CaseSource(file, pos.line(), pos.column());
    }

    CaseSource recordSource() {
        return new CaseSource(file, record.start().line(), record.start().column());
    }

    static String describe(JsonNode n) {
        String kind;
        if (n.isTextual()) {
            kind = "a string";
        } else if (n.isNumber()) {
            kind = "a number";
        } else if (n.isBoolean()) {
            kind = "a boolean";
        } else if (n.isArray()) {
            return "an array";
        } else if (n.isObject()) {
            return "an object";
        } else {
            return "null";
        }
        String text = n.toString();
        return kind + " (" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + ")";
    }
}
