package io.github.editunit.hardedit.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.hardedit.cases.CaseFileWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes {@code facts.json}: {@code {"format", "spec", "relations", "subjects", "facts"}} where
 * each fact has {@code id, subject, relation, object, templates, editTemplate, heldOutTemplate}.
 */
final class FactWorldJson {

    static final String FORMAT = "editunit-fact-world/1";
    static final String FILE_NAME = "facts.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's top-level object. */
    record Document(String format, WorldSpec spec, List<Relation> relations, List<Subject> subjects,
                    List<Fact> facts) {
    }

    private FactWorldJson() {
    }

    static void write(FactWorld world, Path file) {
        try {
            MAPPER.writer(CaseFileWriter.prettyPrinter())
                    .writeValue(file.toFile(), new Document(FORMAT, world.spec(), world.relations(), world.subjects(),
                            world.facts()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static FactWorld read(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE_NAME) : dirOrFile;
        try {
            Document doc = MAPPER.readValue(file.toFile(), Document.class);
            if (!FORMAT.equals(doc.format())) {
                throw new IllegalArgumentException(file + ": unsupported format " + doc.format());
            }
            return new FactWorld(doc.spec(), doc.relations(), doc.subjects(), doc.facts());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
