package io.github.editunit.hardedit.world;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.editunit.hardedit.cases.CaseFileWriter;
import io.github.editunit.hardedit.cases.EditCase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The files of a generated world in one directory, all UTF-8:
 * <ul>
 *   <li>{@code corpus.txt}: training documents, <b>one document per line</b> (documents contain no line
 *       breaks), each line ends with {@code \n};</li>
 *   <li>{@code heldout-ppl.json}: ME-PPL format, an array of {@code {"Corpus": "EditUnitWorld", "Text": " ..."}};</li>
 *   <li>{@code single-edit.json} / {@code single-edit.extended.json}: the single-edit suite, EasyEdit flat and
 *       extended formats;</li>
 *   <li>{@code sequential-N.json} / {@code sequential-N.extended.json}: the sequential suite (N =
 *       {@link WorldSpec#sequentialEdits()}, 100 by default);</li>
 *   <li>{@code facts.json}: spec, relations, subjects and every fact with its templates, edit template and
 *       held-out template; read back with {@link FactWorld#load(Path)}.</li>
 * </ul>
 *
 * @param directory the directory holding the files
 * @param sequentialEdits N in the sequential file names
 */
public record WorldFiles(Path directory, int sequentialEdits) {

    /** The {@code Corpus} value of every held-out perplexity record. */
    public static final String HELD_OUT_CORPUS_NAME = "EditUnitWorld";

    /** Writes every file of {@code world} to {@code directory} with the default subject token counter. */
    public static WorldFiles write(FactWorld world, Path directory) {
        return write(world, new SuiteGenerator(world), directory);
    }

    /** Writes every file, tagging first-token cases with the given subject token counter. */
    public static WorldFiles write(FactWorld world, ToIntFunction<String> subjectTokenCounter, Path directory) {
        return write(world, new SuiteGenerator(world, subjectTokenCounter), directory);
    }

    private static WorldFiles write(FactWorld world, SuiteGenerator suites, Path directory) {
        WorldFiles files = new WorldFiles(directory, world.spec().sequentialEdits());
        try {
            Files.createDirectories(directory);
            writeLines(world.trainingDocuments(), files.corpus());
            writeHeldOutPerplexity(world.heldOutPerplexityTexts(), files.heldOutPerplexity());
            List<EditCase> single = suites.singleEditSuite();
            CaseFileWriter.writeFlat(single, files.singleEdit());
            CaseFileWriter.writeExtended(single, files.singleEditExtended());
            List<EditCase> sequential = suites.sequentialSuite();
            CaseFileWriter.writeFlat(sequential, files.sequential());
            CaseFileWriter.writeExtended(sequential, files.sequentialExtended());
            FactWorldJson.write(world, files.facts());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write world files to " + directory, e);
        }
        return files;
    }

    /** The files of a world written with the default sizes (sequential-100). */
    public static WorldFiles in(Path directory) {
        return new WorldFiles(directory, 100);
    }

    public Path corpus() {
        return directory.resolve("corpus.txt");
    }

    public Path heldOutPerplexity() {
        return directory.resolve("heldout-ppl.json");
    }

    public Path singleEdit() {
        return directory.resolve("single-edit.json");
    }

    public Path singleEditExtended() {
        return directory.resolve("single-edit.extended.json");
    }

    public Path sequential() {
        return directory.resolve("sequential-" + sequentialEdits + ".json");
    }

    public Path sequentialExtended() {
        return directory.resolve("sequential-" + sequentialEdits + ".extended.json");
    }

    public Path facts() {
        return directory.resolve(FactWorldJson.FILE_NAME);
    }

    /** All files in writing order. */
    public List<Path> all() {
        return List.of(corpus(), heldOutPerplexity(), singleEdit(), singleEditExtended(), sequential(),
                sequentialExtended(), facts());
    }

    /** Reads {@code corpus.txt} back: one document per line. */
    public List<String> readCorpus() {
        try {
            return Files.readAllLines(corpus(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLines(List<String> documents, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String d : documents) {
                out.write(d);
                out.write('\n');
            }
        }
    }

    /**
     * Writes held-out perplexity texts in the ME-PPL format of {@code heldout-ppl.json}: an array of
     * {@code {"Corpus": "EditUnitWorld", "Text": " ..."}}.
     */
    public static void writeHeldOutPerplexity(List<String> texts, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.setPrettyPrinter(CaseFileWriter.prettyPrinter());
            g.writeStartArray();
            for (String t : texts) {
                g.writeStartObject();
                g.writeStringField("Corpus", HELD_OUT_CORPUS_NAME);
                g.writeStringField("Text", t);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }
}
