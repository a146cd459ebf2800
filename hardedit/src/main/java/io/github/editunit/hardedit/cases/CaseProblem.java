package io.github.editunit.hardedit.cases;

import java.util.Objects;

/**
 * One problem found while reading or validating a case file.
 *
 * @param severity    {@link Severity#ERROR} drops the record (or aborts a strict read); warnings are advisory
 * @param file        file path or stream name
 * @param line        1-based line, 0 when unknown
 * @param column      1-based column, 0 when unknown
 * @param recordIndex 1-based record number within the file, 0 for file-level problems
 * @param caseId      the record's case id when known, else {@code null}
 * @param field       the offending field (JSON key, nested keys joined with '.'), or {@code null}
 * @param message     what is wrong
 */
public record CaseProblem(Severity severity, String file, int line, int column, int recordIndex,
                          String caseId, String field, String message) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    public CaseProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** True for {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * The compiler-style message, e.g.
     * {@code cases.json:14:5: record #3 (case_id 7): field "target_new" is missing}.
     * Warnings are prefixed with {@code warning: } after the position.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        if (recordIndex > 0) {
            sb.append("record #").append(recordIndex);
            if (caseId != null) {
                sb.append(" (case_id ").append(caseId).append(')');
            }
            sb.append(": ");
        }
        if (field != null) {
            sb.append("field \"").append(field).append("\"");
            sb.append(message.startsWith(":") ? "" : " ");
        }
        sb.append(message);
        return sb.toString();
    }
}
