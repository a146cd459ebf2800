package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.WeightPatch;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edit command on the bundled model: JSON shape other tools read, restore, weight patches, exit
 * codes, input errors found before the model loads, and batch timings that add up.
 */
class EditCommandTest {

    @TempDir
    Path tmp;

    /** Statistics shared by the tests of this class (computed once). */
    @TempDir
    static Path sharedStats;

    private JsonNode run(String... args) throws Exception {
        CliRun r = CliRun.execute(args);
        assertThat(r.rc()).as("exit code").isZero();
        return r.json();
    }

    /** An input error: exit code 2, the message on stderr, nothing on stdout, and no model loaded. */
    private static String inputError(String... args) {
        CliRun r = CliRun.execute(args);
        assertThat(r.rc()).as("exit code").isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("[model] loaded");
        return r.err();
    }

    private static String suite(String name) {
        return BundledModels.tiny().resolve("suites").resolve(name).toString();
    }

    @Test
    void singleEditsPrintTheDocumentedJsonAndRestoreTheWeights() throws Exception {
        JsonNode doc = run("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "2", "--ppl-limit", "10", "--stats-dir", sharedStats.toString(), "--json");
        JsonNode s = doc.get("summary");
        // the original fields first, in their order; new ones only added after them
        assertThat(iterator(s)).containsExactly("cases", "efficacyScore", "paraphraseScore", "neighborhoodScore",
                "pplBefore", "pplAfterMax", "collapsed", "weightsRestored", "failed", "errors", "editSeconds", "batches",
                "bos", "bosToken", "pplSkipped", "canaries");
        assertThat(s.get("pplSkipped").asBoolean()).as("perplexity was measured").isFalse();
        assertThat(s.get("canaries").isNull()).as("no --canaries: null, not an empty measurement").isTrue();
        assertThat(s.get("cases").asInt()).isEqualTo(2);
        assertThat(s.get("weightsRestored").asBoolean()).isTrue();
        assertThat(s.get("pplBefore").asDouble()).isPositive();
        assertThat(s.get("errors").asInt()).isZero();
        assertThat(s.get("failed").asInt()).isEqualTo(s.get("collapsed").asInt());
        assertThat(s.get("batches")).hasSize(2);
        assertThat(doc.get("cases")).hasSize(2);
        JsonNode first = doc.get("cases").get(0);
        assertThat(first.get("diagnostics").has("denominator")).isTrue();
        // was isBetween(0, 1), which no ES could fail: the summary's ES must be the mean of the cases' ES
        double esMean = (first.get("es").asDouble() + doc.get("cases").get(1).get("es").asDouble()) / 2;
        assertThat(s.get("efficacyScore").asDouble()).as("summary ES = mean of the cases' ES").isCloseTo(esMean,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(first.get("batch").asInt()).isZero();
        assertThat(first.get("editSeconds").asDouble()).isEqualTo(s.get("batches").get(0).get("editSeconds").asDouble());
    }

    /**
     * {@code --no-ppl}: the text output says "perplexity skipped" (progress line, table column and
     * summary) and never prints NaN, Infinity or null for the unmeasured perplexity; the JSON keeps its
     * field names with null values and says {@code "pplSkipped": true}. Rules out the old output
     * ("ppl NaN → max Infinity", a "null" column), a JSON with NaN/Infinity literals other tools cannot
     * parse, and a skipped run that looks like a non-finite (collapsed) one.
     */
    @Test
    void noPplSaysPerplexitySkippedInTextAndMarksItInJson() throws Exception {
        String[] base = {"edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
            "--limit", "1", "--no-ppl", "--stats-dir", sharedStats.toString()};
        CliRun text = CliRun.execute(base);
        assertThat(text.rc()).isZero();
        assertThat(text.out()).contains("perplexity skipped").contains("skipped").doesNotContain("NaN")
                .doesNotContain("Infinity").doesNotContain("null");
        String progress = text.err().lines().filter(l -> l.startsWith("[edit] 1/1")).findFirst().orElseThrow();
        assertThat(progress).contains("perplexity skipped").doesNotContain("NaN").doesNotContain("Infinity");

        String[] withJson = java.util.Arrays.copyOf(base, base.length + 1);
        withJson[base.length] = "--json";
        CliRun json = CliRun.execute(withJson);
        assertThat(json.rc()).isZero();
        assertThat(json.out()).doesNotContain("NaN").doesNotContain("Infinity");
        JsonNode doc = json.json();
        JsonNode s = doc.get("summary");
        assertThat(s.get("pplSkipped").asBoolean()).isTrue();
        assertThat(s.get("pplBefore").isNull()).as("pplBefore present and null").isTrue();
        assertThat(s.get("pplAfterMax").isNull()).as("pplAfterMax present and null").isTrue();
        assertThat(s.get("collapsed").asInt()).isZero();
        JsonNode c = doc.get("cases").get(0);
        assertThat(c.get("pplAfter").isNull()).isTrue();
        assertThat(c.get("pplRatio").isNull()).isTrue();
        assertThat(c.get("collapsed").asBoolean()).isFalse();
    }

    @Test
    void aMemitBatchReportsItsTimeOnceAndEachCaseItsShare() throws Exception {
        JsonNode doc = run("edit", "--model", "bundled", "--cases", suite("single-edit.extended.json"), "--method",
                "memit", "--batch", "3", "--limit", "3", "--no-ppl", "--set", "rounds=1", "--set", "mom2_n_samples=300",
                "--stats-dir", tmp.resolve("stats").toString(), "--json");
        JsonNode s = doc.get("summary");
        assertThat(s.get("batches")).hasSize(1);
        JsonNode batch = s.get("batches").get(0);
        assertThat(batch.get("cases").asInt()).isEqualTo(3);
        double batchSeconds = batch.get("editSeconds").asDouble();
        assertThat(batchSeconds).isPositive();
        assertThat(s.get("editSeconds").asDouble()).isCloseTo(batchSeconds, within(1e-9));
        double sum = 0;
        for (JsonNode c : doc.get("cases")) {
            assertThat(c.get("batch").asInt()).isZero();
            assertThat(c.get("editSeconds").asDouble()).isCloseTo(batchSeconds / 3, within(1e-9));
            sum += c.get("editSeconds").asDouble();
        }
        // the cases add up to the batch, not to three times it
        assertThat(sum).isCloseTo(batchSeconds, within(1e-6 * batchSeconds));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("--hparams names a directory of tuned files: the method's file is used, a "
            + "directory without it is an input error naming the expected file (rules out: the directory refused as "
            + "'not a file', the catalog's file used instead of the directory's)")
    void hparamsDirectory() throws Exception {
        Path dir = tmp.resolve("tuned");
        Files.createDirectories(dir);
        String shipped = new String(getClass().getResourceAsStream(
                "/io/github/editunit/framework/hparams/editunit-tiny/rome.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("memit.json"), "{}");
        String err = inputError("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "c-rome",
                "--limit", "1", "--hparams", dir.toString());
        assertThat(err).contains("has no rome.json for method c-rome", dir.resolve("rome.json").toAbsolutePath().toString());
        Files.writeString(dir.resolve("rome.json"), shipped.replace("\"layer\": 0", "\"layer\": 1"));
        JsonNode doc = run("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "1", "--no-ppl", "--hparams", dir.toString(), "--stats-dir", sharedStats.toString(), "--json");
        assertThat(doc.get("cases").get(0).path("diagnostics").path("layer").asInt()).isEqualTo(1);
    }

    @Test
    void aCollapseExitsWithOneAndCountsAsFailedNotAsAnError() throws Exception {
        CliRun r = CliRun.execute("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "1", "--ppl-limit", "10", "--ppl-bound", "abs:1", "--stats-dir", sharedStats.toString(),
                "--json");
        assertThat(r.rc()).isEqualTo(EditUnitCli.EXIT_FAILED);
        JsonNode s = r.json().get("summary");
        assertThat(s.get("failed").asInt()).isEqualTo(1);
        assertThat(s.get("collapsed").asInt()).isEqualTo(1);
        assertThat(s.get("errors").asInt()).isZero();
        assertThat(r.err()).contains("1 of 1 cases collapsed");
    }

    @Test
    void casesThatErrorExitWithThreeAndAreCountedApartFromFailures() throws Exception {
        // the bundled model without its statistics corpus, and no statistics cached: every ROME edit throws
        Path model = Files.createDirectories(tmp.resolve("no-stats-corpus"));
        for (String f : BundledModels.FILES) {
            if (!f.equals("stats-corpus.txt")) {
                Files.createDirectories(model.resolve(f).getParent());
                Files.copy(BundledModels.tiny().resolve(f), model.resolve(f));
            }
        }
        CliRun r = CliRun.execute("edit", "--model", model.toString(), "--cases", suite("single-edit.json"), "--method", "rome",
                "--limit", "2", "--no-ppl", "--stats-dir", tmp.resolve("empty-stats").toString(), "--json");
        assertThat(r.rc()).isEqualTo(EditUnitCli.EXIT_ERROR);
        JsonNode doc = r.json();
        JsonNode s = doc.get("summary");
        assertThat(s.get("cases").asInt()).isEqualTo(2);
        assertThat(s.get("errors").asInt()).isEqualTo(2);
        assertThat(s.get("failed").asInt()).isZero();
        assertThat(s.get("efficacyScore").isNull()).isTrue();
        assertThat(s.get("batches")).isEmpty();
        assertThat(doc.get("cases").get(0).get("error").asText())
                .contains("no statistics corpus").contains("hardedit.stats.corpus").contains("--stats-corpus");
        assertThat(r.err()).contains("2 of 2 cases errored");
    }

    @Test
    void anEmptyCaseFileIsAnInputErrorNamingTheFile() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.json"), "[]\n");
        assertThat(inputError("edit", "--model", "bundled", "--cases", empty.toString(), "--method", "rome"))
                .contains(empty + ":1:1: no cases");
    }

    @Test
    void aNeighbourAnsweringTheNewTargetIsAnInputErrorNamingFileRecordAndField() throws Exception {
        Path cases = Files.writeString(tmp.resolve("loc.json"), """
                [{"case_id": 1, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp",
                  "locality_prompt": "Brask plays the", "locality_ground_truth": "harp"}]
                """);
        assertThat(inputError("edit", "--model", "bundled", "--cases", cases.toString(), "--method", "rome"))
                .contains(cases + ":2:41: record #1 (case_id 1): field \"locality_ground_truth\"")
                .contains("the locality check cannot pass");
    }

    @Test
    void anUnknownMethodIsAnInputErrorListingTheValidMethods() {
        assertThat(inputError("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "romee"))
                .contains("--method romee: unknown method; valid methods are rome, c-rome, p-rome, memit, ft-l, ft");
    }

    @Test
    void aMissingModelDirectoryIsSaidNotToExist() {
        Path missing = tmp.resolve("gpt2-xl");
        assertThat(inputError("edit", "--model", missing.toString(), "--cases", suite("single-edit.json"), "--method",
                "rome")).contains("--model").contains("model directory " + missing + " does not exist");
    }

    @Test
    void anUnknownDeviceIsAnInputError() {
        assertThat(inputError("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--device", "tpu")).contains("--device tpu: unknown device; use cpu, gpu or gpu:N");
    }

    @Test
    void anOffsetPastTheLastCaseIsAnInputError() {
        assertThat(inputError("edit", "--model", "bundled", "--cases", suite("single-edit.json"), "--method", "rome",
                "--offset", "100000")).contains("--offset 100000 skips all").contains("single-edit.json");
    }

    @Test
    void patchReproducesTheEditedModelOnItsBaseOnly() throws Exception {
        Path model = BundledModels.tiny();
        Path patch = tmp.resolve("edit.safetensors");
        run("edit", "--model", "bundled", "--cases", model.resolve("suites/single-edit.json").toString(), "--method",
                "rome", "--limit", "1", "--no-ppl", "--stats-dir", sharedStats.toString(), "--out",
                patch.toString(), "--json");
        String result;
        try (SafetensorsFile f = SafetensorsFile.open(patch)) {
            assertThat(f.tensorNames()).containsExactly("transformer.h.0.mlp.c_proj.weight"); // tuned ROME layer
            result = f.metadata().get(WeightPatch.RESULT_HASH);
            assertThat(f.metadata()).containsEntry(WeightPatch.METHOD, "rome");
        }
        try (LanguageModel edited = ModelFiles.load(model, ai.djl.Device.cpu(), List.of(patch))) {
            assertThat(edited.parameters().contentHash()).isEqualTo(result);
            // a second application is refused: the model is no longer the patch's base
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeightPatch.apply(edited, patch))
                    .hasMessageContaining("patch was made for weights");
            assertThat(edited.parameters().contentHash()).isEqualTo(result);
        }
    }

    private static List<String> iterator(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
