package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.engine.execution.InvalidConfigurationException;
import io.github.editunit.models.BundledModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring your own hyperparameters: {@code @HardEditCases(hparams)} naming a directory of tuned files
 * (as {@code ./editunit tune} writes them), {@code @HardEditCases(statsCorpus)}, and the file each method
 * used, with its provenance, in the console and the Allure environment. The directories are relative
 * paths under {@code target/} ({@link Suites#HPARAMS_WORK}), laid out here before the runs.
 */
class HyperparameterDirectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of(Suites.HPARAMS_WORK);
    private static final int STATS_TEXTS = 200;

    /**
     * {@code tuned/rome.json}: the bundled model's shipped tuned file with layer 1 instead of 0, 200
     * statistics texts and a {@code _provenance} as tune writes it; {@code memit-only/memit.json}; and
     * {@code engine-test-stats.txt}: lines 201-400 of the bundled model's statistics corpus.
     */
    @BeforeAll
    static void layOut() throws Exception {
        ObjectNode rome;
        try (InputStream in = HyperparameterDirectoryTest.class.getResourceAsStream(
                "/io/github/editunit/framework/hparams/editunit-tiny/rome.json")) {
            rome = (ObjectNode) JSON.readTree(in);
        }
        assertThat(rome.get("layer").asInt()).as("the shipped tuned file edits layer 0").isZero();
        rome.put("layer", 1);
        rome.put("mom2_n_samples", STATS_TEXTS);
        ObjectNode provenance = rome.putObject("_provenance");
        provenance.put("tool", "editunit tune");
        provenance.putObject("searchSpace").putArray("layer").add(0).add(1).add(2);
        provenance.putObject("split").put("tuning", 20).put("heldOut", 20);
        provenance.putObject("scores").put("heldOut", 0.91);
        provenance.put("date", "2025-06-01T10:00:00Z");
        Files.createDirectories(WORK.resolve("tuned"));
        Files.writeString(WORK.resolve("tuned/rome.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rome));
        Files.createDirectories(WORK.resolve("memit-only"));
        Files.writeString(WORK.resolve("memit-only/memit.json"), "{\"layers\": [0, 1]}");
        Files.deleteIfExists(WORK.resolve("memit-only/rome.json"));
        List<String> corpus = Files.readAllLines(BundledModels.resolve("bundled").resolve("stats-corpus.txt"));
        // not the corpus's first lines: the cache is keyed by content, and the key's corpus takes its first 200
        Files.write(WORK.resolve("engine-test-stats.txt"), corpus.subList(STATS_TEXTS, 2 * STATS_TEXTS));
    }

    @Test
    @DisplayName("hparams = a directory of tuned files and statsCorpus = a file: the edit uses the directory's rome.json"
            + " (layer 1) and C comes from that corpus, a second suite's C from the key's corpus, and the console and"
            + " the Allure environment name the file and its _provenance; rules out the directory ignored (the"
            + " catalog's layer 0, catalog:editunit-tiny), the statsCorpus attribute ignored or beaten by"
            + " hardedit.stats.corpus, one suite's corpus used for the other on the shared model, and no hparams entry")
    void aTunedDirectoryIsUsedAndNamedInConsoleAndEnvironment(@TempDir Path tmp) throws Exception {
        Path results = Files.createDirectories(tmp.resolve("allure-results"));
        Path bundledCorpus = BundledModels.resolve("bundled").resolve("stats-corpus.txt");
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            AllureRun.run(results, Map.of("hardedit.progress", "true",
                    "hardedit.stats.dir", tmp.resolve("stats").toString(),
                    // the annotation must win over the key (the bundled model's own corpus)
                    "hardedit.stats.corpus", bundledCorpus.toString()),
                    List.of(selectClass(Suites.TunedDirectory.class), selectClass(Suites.TunedDirectoryKeyCorpus.class)));
        } finally {
            System.setErr(old);
            System.err.print(bytes.toString(StandardCharsets.UTF_8));
        }
        String file = WORK.resolve("tuned/rome.json").toAbsolutePath().normalize().toString();

        List<JsonNode> written = AllureRun.results(results);
        assertThat(written).hasSize(8);
        for (JsonNode r : written) {
            assertThat(r.get("status").asText()).as("%s ran", r.get("name").asText()).isIn("passed", "failed");
            assertThat(parameters(r)).as("edited layer of %s", r.get("name").asText()).containsEntry("layer", "1");
        }

        Properties env = new Properties();
        env.load(new StringReader(Files.readString(results.resolve("environment.properties"), StandardCharsets.ISO_8859_1)));
        assertThat(env.getProperty("hparams.rome")).isEqualTo(file);
        assertThat(env.getProperty("hparams.rome.source")).isEqualTo("editunit tune, 2025-06-01T10:00:00Z");
        // each suite's C from its own corpus: TunedDirectory's attribute, TunedDirectoryKeyCorpus's key
        assertThat(env.getProperty("statistics.layer1"))
                .contains("computed from engine-test-stats.txt (first " + STATS_TEXTS + " texts")
                .contains("computed from stats-corpus.txt (first " + STATS_TEXTS + " texts");
        assertThat(env.stringPropertyNames()).noneMatch(k -> k.startsWith("hparams.") && !k.startsWith("hparams.rome"));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("[hardedit] rome hyperparameters for ")))
                .singleElement().asString().endsWith(": " + file + " (editunit tune, 2025-06-01T10:00:00Z)");
    }

    @Test
    @DisplayName("hparams = a directory without rome.json, suite runs rome: one invalid configuration naming the"
            + " attribute, the directory, the method and rome.json, no case runs; rules out a silent fall-back to"
            + " the catalog and an error only when the edit starts")
    void aDirectoryWithoutTheMethodsFileIsOneConfigurationError() {
        Path dir = WORK.resolve("memit-only").toAbsolutePath().normalize();
        BadInputTest.reportedOnce(EngineKit.builder(selectClass(Suites.DirectoryWithoutRome.class)),
                InvalidConfigurationException.class, "@HardEditCases(hparams): hyperparameter directory " + dir
                        + " has no rome.json for method rome: expected " + dir.resolve("rome.json"));
    }

    @Test
    @DisplayName("statsCorpus = a file that does not exist: one invalid configuration naming the attribute and the"
            + " path; rules out the attribute ignored (the bundled corpus used) and a message naming only the key")
    void aMissingStatsCorpusNamesTheAttributeAndThePath() {
        BadInputTest.reportedOnce(EngineKit.builder(selectClass(Suites.MissingStatsCorpus.class)),
                InvalidConfigurationException.class, "@HardEditCases(statsCorpus): statistics corpus "
                        + WORK.resolve("no-such-stats-corpus.txt").toAbsolutePath() + " does not exist");
    }

    private static Map<String, String> parameters(JsonNode result) {
        Map<String, String> out = new HashMap<>();
        result.path("parameters").forEach(p -> out.put(p.get("name").asText(), p.get("value").asText()));
        return out;
    }
}
