package io.github.editunit.hardedit.cases;

import java.util.Objects;

/**
 * Where an edit case came from: a file (or stream) name plus the 1-based line and column of the
 * record's opening brace. Generated cases use line and column 0.
 *
 * @param file   file path or stream name, as given to the reader
 * @param line   1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 */
public record CaseSource(String file, int line, int column) {

    public CaseSource {
        Objects.requireNonNull(file, "file");
    }

    /** A source for cases that were generated in memory rather than read from a file. */
    public static CaseSource generated(String name) {
        return new CaseSource(name, 0, 0);
    }

    /** {@code file:line:column}, or just {@code file} when the position is unknown. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
