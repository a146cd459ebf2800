package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.editunit.hardedit.cases.CaseJsonKeys.*;

/**
 * Writes edit cases as a pretty-printed (4-space indent, UTF-8, non-ASCII unescaped) JSON array.
 *
 * <p>{@link Format#EASYEDIT_FLAT} writes exactly the 8 EasyEdit keys in EasyEdit's order; only the first
 * paraphrase and the first neighbour fit, and absent values are written as {@code null}.
 * {@link Format#EXTENDED} writes the same 8 keys (so EasyEdit can still read the file) followed by
 * {@code rephrase_prompts} (all paraphrases), {@code locality} (all neighbours), {@code relation},
 * {@code tags} and {@code expect}. Both round-trip through {@link CaseFileReader}; the flat one loses
 * whatever does not fit in its 8 keys. Numeric case ids are written as numbers.
 */
public final class CaseFileWriter {

    /** The output shape. */
    public enum Format { EASYEDIT_FLAT, EXTENDED }

    private static final JsonFactory JSON = new JsonFactory();

    private CaseFileWriter() {
    }

    /** Writes the EasyEdit flat format to a file. */
    public static void writeFlat(List<EditCase> cases, Path file) {
        write(cases, Format.EASYEDIT_FLAT, file);
    }

    /** Writes the extended format to a file. */
    public static void writeExtended(List<EditCase> cases, Path file) {
        write(cases, Format.EXTENDED, file);
    }

    /** Writes {@code cases} in {@code format} to a UTF-8 file, creating parent directories. */
    public static void write(List<EditCase> cases, Format format, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                write(cases, format, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The JSON text of {@code cases} in {@code format}. */
    public static String toJson(List<EditCase> cases, Format format) {
        StringWriter out = new StringWriter();
        try {
            write(cases, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes to {@code out}, which is flushed but not closed. */
    public static void write(List<EditCase> cases, Format format, Writer out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out);
        g.setPrettyPrinter(prettyPrinter());
        g.writeStartArray();
        for (EditCase c : cases) {
            g.writeStartObject();
            writeFlatKeys(g, c);
            if (format == Format.EXTENDED) {
                writeExtendedKeys(g, c);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.flush();
        out.write("\n");
        out.flush();
    }

    /** The pretty printer of every EditUnit JSON file: 4-space indent, one array element per line, {@code "key": value}. */
    public static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    private static void writeFlatKeys(JsonGenerator g, EditCase c) throws IOException {
        writeId(g, c.caseId());
        g.writeStringField(PROMPT, c.prompt());
        g.writeStringField(TARGET_NEW, c.targetNew());
        g.writeStringField(SUBJECT, c.subject());
        g.writeStringField(GROUND_TRUTH, c.groundTruth());
        g.writeStringField(REPHRASE_PROMPT, c.paraphrasePrompts().isEmpty() ? null : c.paraphrasePrompts().get(0));
        NeighbourPrompt first = c.neighbours().isEmpty() ? null : c.neighbours().get(0);
        g.writeStringField(LOCALITY_PROMPT, first == null ? null : first.prompt());
        g.writeStringField(LOCALITY_GROUND_TRUTH, first == null ? null : first.groundTruth());
    }

    private static void writeExtendedKeys(JsonGenerator g, EditCase c) throws IOException {
        g.writeArrayFieldStart(REPHRASE_PROMPTS);
        for (String p : c.paraphrasePrompts()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeArrayFieldStart(LOCALITY);
        for (NeighbourPrompt n : c.neighbours()) {
            g.writeStartObject();
            g.writeStringField(PROMPT, n.prompt());
            g.writeStringField(GROUND_TRUTH, n.groundTruth());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField(RELATION, c.relation());
        g.writeArrayFieldStart(TAGS);
        for (String t : c.tags()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeStringField(EXPECT, c.expectation() == null ? null : c.expectation().jsonValue());
    }

    private static void writeId(JsonGenerator g, String id) throws IOException {
        if (id.matches("-?(0|[1-9][0-9]{0,17})")) {
            g.writeNumberField(CASE_ID, Long.parseLong(id));
        } else {
            g.writeStringField(CASE_ID, id);
        }
    }
}
