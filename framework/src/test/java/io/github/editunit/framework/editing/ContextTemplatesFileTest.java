package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.stats.SecondMoment;
import io.github.editunit.framework.stats.StatisticsCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The persisted context templates ({@code templates-*.json} in the statistics directory): a
 * truncated, emptied or garbled file is named on the log, deleted and regenerated, and the
 * regenerated templates equal the originals, because generation is deterministic given the seed
 * and the weights.
 */
class ContextTemplatesFileTest {

    static final int[][] RECIPE = {{5, 3}, {8, 3}};
    static final long SEED = 4;
    static LanguageModel model;

    @TempDir
    Path dir;

    ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void setUp() {
        model = EditingFixture.model(17);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private EditingContext context() {
        StatisticsCache cache = new StatisticsCache(dir.resolve("stats"), SecondMoment.withDefaults(),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return new EditingContext(model, null, cache, null);
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private Path templatesFile() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("stats"))) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("templates-")).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    @Test
    void generationIsDeterministicGivenTheSeedAndTheWeights() {
        ContextTemplates a = ContextTemplates.generateFromEndOfText(model, RECIPE, SEED);
        try (LanguageModel twin = EditingFixture.model(17)) {
            // another instance with the same weights: rules out state carried in the model or generator
            ContextTemplates b = ContextTemplates.generateFromEndOfText(twin, RECIPE, SEED);
            assertThat(b.templates()).isEqualTo(a.templates());
            assertThat(ContextTemplates.generateFromSeedWords(twin, new int[][] {{6, 1}}, SEED).templates())
                    .isEqualTo(ContextTemplates.generateFromSeedWords(model, new int[][] {{6, 1}}, SEED).templates());
        }
        // the seed matters: rules out a test that passes because sampling ignores the seed
        assertThat(ContextTemplates.generateFromEndOfText(model, RECIPE, SEED + 1).templates())
                .isNotEqualTo(a.templates());
        assertThat(a.templates()).hasSize(7).allMatch(t -> t.endsWith("{}"));
    }

    @Test
    void intactFileIsReadBackWithoutRegenerating() throws IOException {
        ContextTemplates first = context().romeTemplates(RECIPE, SEED);
        Path file = templatesFile();
        String bytes = Files.readString(file);
        int[] generated = {0};
        ContextTemplates again = ContextTemplates.loadOrGenerate(file, model, first.spec(), SEED, () -> {
            generated[0]++;
            return first;
        }, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(again).isEqualTo(first);
        // rules out a reader so strict that every run regenerates (and silently rewrites) the file
        assertThat(generated[0]).isZero();
        assertThat(Files.readString(file)).isEqualTo(bytes);
        assertThat(logText()).isEmpty();
        assertThat(bytes).contains("\"sha256\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated", "emptied", "garbled-template", "not-json", "template-without-braces",
            "no-checksum", "wrong-seed-type"})
    void corruptFileIsNamedDeletedAndRegeneratedIdentically(String damage) throws IOException {
        ContextTemplates original = context().romeTemplates(RECIPE, SEED);
        Path file = templatesFile();
        String text = Files.readString(file);
        String damaged = switch (damage) {
            case "truncated" -> text.substring(0, text.length() / 2);
            case "emptied" -> "";
            // still valid JSON of the right shape: only the checksum can tell
            case "garbled-template" -> text.replaceFirst("\\. \\{\\}\"", ". {} x\"");
            case "not-json" -> "\u0000\u0001garbage";
            case "template-without-braces" -> text.replaceFirst("\\. \\{\\}\"", ".\"");
            case "no-checksum" -> text.replaceFirst(",\\s*\"sha256\"\\s*:\\s*\"[0-9a-f]+\"", "");
            case "wrong-seed-type" -> text.replaceFirst("\"seed\" : 4", "\"seed\" : \"four\"");
            default -> throw new IllegalArgumentException(damage);
        };
        assertThat(damaged).as("the damage changed the file").isNotEqualTo(text);
        Files.writeString(file, damaged);
        assertThatThrownBy(() -> ContextTemplates.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file.toString()).hasMessageNotContaining("REDACTED");

        // the next run (a new context: nothing in memory) repairs the file and works
        ContextTemplates repaired = context().romeTemplates(RECIPE, SEED);
        assertThat(logText()).contains(file.toString()).contains("discarding context templates")
                .contains("regenerating with seed " + SEED);
        assertThat(repaired.templates()).isEqualTo(original.templates());
        assertThat(ContextTemplates.read(file)).isEqualTo(original);
        assertThat(Files.readString(file)).isEqualTo(text);
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no temporary files left")
                    .containsExactly(file.getFileName().toString());
        }
    }

    @Test
    void checksumCoversEveryFieldSoAnyAlterationIsDetected() {
        ContextTemplates t = new ContextTemplates(List.of("{}", "A b. {}"), "abc", 1, "eos:5x1,");
        // rules out a checksum over the templates only: seed, spec and model hash are covered too
        assertThat(Stream.of(new ContextTemplates(List.of("{}", "A c. {}"), "abc", 1, "eos:5x1,"),
                new ContextTemplates(List.of("{}", "A b. {}"), "abd", 1, "eos:5x1,"),
                new ContextTemplates(List.of("{}", "A b. {}"), "abc", 2, "eos:5x1,"),
                new ContextTemplates(List.of("{}", "A b. {}"), "abc", 1, "eos:5x2,"),
                new ContextTemplates(List.of("{}", "A b.", "{}"), "abc", 1, "eos:5x1,"))
                .map(ContextTemplates::checksum)).doesNotContain(t.checksum()).doesNotHaveDuplicates();
        assertThat(t.checksum()).isEqualTo(new ContextTemplates(Arrays.asList("{}", "A b. {}"), "abc", 1, "eos:5x1,")
                .checksum());
    }

    @Test
    void unwritableCacheStillGivesTheTemplates() throws IOException {
        // the statistics "directory" is a file: templates cannot be cached, yet editing works
        Path notADir = dir.resolve("stats");
        Files.writeString(notADir, "x");
        EditingContext ctx = context();
        ContextTemplates t = ctx.romeTemplates(RECIPE, SEED);
        assertThat(t.templates()).isEqualTo(ContextTemplates.generateFromEndOfText(model, RECIPE, SEED).templates());
        assertThat(logText()).contains("could not write").contains(notADir.toString());
    }
}
