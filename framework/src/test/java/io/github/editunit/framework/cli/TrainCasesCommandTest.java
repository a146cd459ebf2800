package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.training.CaseCorpus;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --cases} end to end on a tiny spec: the sandbox carries its statistics corpus and
 * held-out perplexity corpus like the bundled model, so {@code edit} runs on it with no corpus
 * options; training stops at the recall floors; the card states what was measured.
 */
class TrainCasesCommandTest {

    @TempDir
    Path tmp;

    private Path cases() throws IOException {
        Path f = tmp.resolve("cases.json");
        Files.writeString(f, """
                [{"case_id": 1, "prompt": "The mother tongue of Danielle Darrieux is", "target_new": "English",
                  "subject": "Danielle Darrieux", "ground_truth": "French",
                  "rephrase_prompt": "Where Danielle Darrieux is from, people speak the language of",
                  "locality_prompt": "Michel Rocard is a native speaker of", "locality_ground_truth": "French"},
                 {"case_id": 2, "prompt": "Trelo was born in", "target_new": "Lima", "subject": "Trelo",
                  "ground_truth": "Oslo", "rephrase_prompt": "The birthplace of Trelo is",
                  "locality_prompt": "Vandu was born in", "locality_ground_truth": "Quito"},
                 {"case_id": 3, "prompt": "Apple A5 was created by", "target_new": "Google", "subject": "Apple A5",
                  "ground_truth": "Apple", "rephrase_prompt": "Apple A5 is a product of",
                  "locality_prompt": "Calendar and Contacts Server was created by", "locality_ground_truth": "Apple"}]
                """);
        return f;
    }

    private static final List<String> TINY = List.of("--layers", "2", "--width", "32", "--heads", "2", "--vocab",
            "1024", "--batch-tokens", "512", "--steps", "300");

    private static List<String> args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(TINY);
        return a;
    }

    private static Path hparams(String method) throws Exception {
        return Path.of(TrainCasesCommandTest.class
                .getResource("/io/github/editunit/framework/hparams/editunit-tiny/" + method + ".json").toURI());
    }

    @Test
    @DisplayName("the sandbox has stats-corpus.txt and suites/heldout-ppl.json (bundled format, texts never "
            + "trained on), stops at the recall floors, and edit runs on it without corpus options (rules out: "
            + "perplexity on training text, a fixed step count, edit stopping for missing corpora)")
    void sandboxRunsEditWithoutCorpusOptions() throws Exception {
        Path cases = cases();
        Path out = tmp.resolve("sbx");
        List<String> a = args("train", "--cases", cases.toString(), "--out", out.toString(), "--recall-floors",
                "0,0,0", "--recall-every", "10");
        CliRun train = CliRun.execute(a.toArray(String[]::new));
        assertThat(train.rc()).as("train exit code").isZero();

        // stopped at the first check, floors 0 being reached by any model: 10 of at most 300 steps
        assertThat(train.err()).contains("[train] step 10: top-1 recall edit").contains("reached, stopping")
                .contains("recall floors reached at step 10");
        Map<String, String> meta;
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            meta = f.metadata();
        }
        assertThat(meta).containsEntry("editunit.steps", "10").containsEntry("editunit.max_steps", "300");

        Path stats = out.resolve("stats-corpus.txt");
        Path heldOut = out.resolve("suites/heldout-ppl.json");
        assertThat(stats).isRegularFile();
        assertThat(heldOut).isRegularFile();

        // the bundled model's format: an array of {"Corpus": "EditUnitWorld", "Text": " ..."}
        JsonNode mine = new ObjectMapper().readTree(heldOut.toFile());
        JsonNode bundled = new ObjectMapper().readTree(BundledModels.tiny().resolve("suites/heldout-ppl.json").toFile());
        assertThat(mine.isArray()).isTrue();
        assertThat(mine).hasSize(300);
        assertThat(fieldNames(mine.get(0))).isEqualTo(fieldNames(bundled.get(0)));
        assertThat(mine.get(0).get("Corpus").asText()).isEqualTo(bundled.get(0).get("Corpus").asText());
        List<String> heldOutTexts = SentenceCorpus.read(heldOut).sentences();
        assertThat(heldOutTexts).hasSize(300).allMatch(t -> t.startsWith(" "));

        // the training documents, rebuilt as train built them (the stats corpus is their head: same corpus)
        List<String> training = CaseCorpus.fromCaseFiles(List.of(cases), 12, 42, null).documents();
        List<String> statsLines = Files.readAllLines(stats, StandardCharsets.UTF_8);
        assertThat(statsLines).isEqualTo(training.subList(0, Math.min(2000, training.size())));
        assertThat(String.join("\n", training)).as("case facts are in the training text")
                .contains("Trelo was born in Oslo.").contains("Vandu was born in Quito.");
        for (String h : heldOutTexts) {
            assertThat(training).as("held-out text %s in a training document", h).noneMatch(d -> d.contains(h.strip()));
            assertThat(statsLines).noneMatch(d -> d.contains(h.strip()));
        }

        String card = Files.readString(out.resolve("MODEL_CARD.md"));
        assertThat(card).contains("| edit | 3 |").contains("| paraphrase | 3 |").contains("| neighbour | 3 |")
                .contains("Held-out perplexity (`suites/heldout-ppl.json`").contains("steps: 10, stopped when")
                .contains("training time ").contains(" min on ");
        // tuning ran at the end; this shape has no starting file in the catalog, so it says why and how to go on
        // instead of failing the trained sandbox (rules out a train that exits non-zero after writing the model)
        assertThat(train.err()).contains("[train] tuning rome, memit").contains("rome not tuned: no rome hyperparameters");
        assertThat(card).contains("## Tuned hyperparameters").contains("rome: not tuned: ").contains("--hparams")
                .contains("memit: not tuned: ");
        assertThat(out.resolve("editunit-hparams")).doesNotExist();

        // edit with neither --ppl-corpus nor --stats-corpus: both come from the sandbox directory
        CliRun edit = CliRun.execute("edit", "--model", out.toString(), "--cases", cases.toString(), "--method",
                "rome", "--hparams", hparams("rome").toString(), "--limit", "1", "--ppl-limit", "20", "--stats-dir",
                tmp.resolve("stats").toString(), "--json");
        assertThat(edit.rc()).as("edit exit code").isZero();
        JsonNode doc = new ObjectMapper().readTree(edit.out());
        double ppl = doc.get("summary").get("pplBefore").asDouble();
        assertThat(ppl).isPositive().isLessThan(1e4);
        assertThat(doc.get("summary").get("pplSkipped").asBoolean()).isFalse();
        JsonNode provenance = doc.get("cases").get(0).get("diagnostics").get("statistics").elements().next();
        assertThat(provenance.get("source").asText()).endsWith("stats-corpus.txt");
    }

    @Test
    @DisplayName("recall and tuning options are checked before training: bad floors, an unknown method to tune and "
            + "--world with case options are input errors and write nothing (rules out a silently ignored option, "
            + "or an hour of training lost to a typo found at the end)")
    void recallOptionsAreChecked() throws Exception {
        Path out = tmp.resolve("never");
        CliRun bad = CliRun.execute(args("train", "--cases", cases().toString(), "--out", out.toString(),
                "--recall-floors", "0.9,1.2,0.9").toArray(String[]::new));
        assertThat(bad.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(bad.err()).contains("--recall-floors").contains("paraphrase recall floor 1.2");
        CliRun world = CliRun.execute(args("train", "--world", "3", "--out", out.toString(), "--recall-every", "50")
                .toArray(String[]::new));
        assertThat(world.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(world.err()).contains("apply to --cases only");
        CliRun noTune = CliRun.execute(args("train", "--world", "3", "--out", out.toString(), "--no-tune")
                .toArray(String[]::new));
        assertThat(noTune.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(noTune.err()).contains("--no-tune applies to --cases only");
        CliRun method = CliRun.execute(args("train", "--cases", cases().toString(), "--out", out.toString(),
                "--tune-methods", "rome,bogus").toArray(String[]::new));
        assertThat(method.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(method.err()).contains("--tune-methods: unknown method bogus");
        assertThat(out).doesNotExist();
        assertThat(tmp.resolve("never.checkpoint")).doesNotExist();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
