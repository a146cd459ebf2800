package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} writes its model directory as a whole: complete with a manifest on success; a run
 * that fails after it started writing leaves no directory that looks complete, and a previous
 * model in {@code --out} survives it.
 */
class TrainCommandOutputTest {

    @TempDir
    Path tmp;

    private Path cases() throws IOException {
        Path f = tmp.resolve("cases.json");
        Files.writeString(f, """
                [{"case_id": 1, "prompt": "Baipa's area of work is", "target_new": "history", "subject": "Baipa",
                  "ground_truth": "sociology", "rephrase_prompt": "The research of Baipa focuses on",
                  "locality_prompt": "The expertise of Nufond is", "locality_ground_truth": "physics"},
                 {"case_id": 2, "prompt": "Trelo was born in", "target_new": "Lima", "subject": "Trelo",
                  "ground_truth": "Oslo", "rephrase_prompt": "The birthplace of Trelo is",
                  "locality_prompt": "Vandu was born in", "locality_ground_truth": "Quito"}]
                """);
        return f;
    }

    private int train(Path out, String heads) throws IOException {
        return EditUnitCli.commandLine().execute("train", "--cases", cases().toString(), "--out", out.toString(),
                "--vocab", "300", "--context", "32", "--width", "16", "--layers", "1", "--heads", heads,
                "--steps", "2", "--batch-tokens", "64", "--repetitions", "2");
    }

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void completedTrainHasAManifestAndFailedTrainsLeaveNothingHalfWritten() throws IOException {
        Path out = tmp.resolve("models").resolve("sandbox");
        // heads 3 does not divide width 16: fails after the tokenizer was written, before the weights
        assertThat(train(out, "3")).isNotZero();
        // rules out writing in place: the tokenizer files of the failed run would be in --out
        assertThat(names(tmp.resolve("models"))).isEmpty();

        assertThat(train(out, "2")).isZero();
        assertThat(names(tmp.resolve("models"))).containsExactly("sandbox");
        assertThat(names(out)).contains("config.json", "model.safetensors", "tokenizer.json", ModelManifest.FILE_NAME);
        ModelManifest manifest = ModelManifest.read(out).orElseThrow();
        assertThat(manifest.entries()).containsKeys("config.json", "model.safetensors", "tokenizer.json");
        String hash;
        try (LanguageModel m = ModelFiles.load(out)) {
            hash = m.parameters().contentHash();
        }
        byte[] weights = Files.readAllBytes(out.resolve("model.safetensors"));

        // a later failed run into the same --out keeps the complete previous model
        assertThat(train(out, "3")).isNotZero();
        assertThat(names(tmp.resolve("models"))).containsExactly("sandbox");
        assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).isEqualTo(weights);
        try (LanguageModel m = ModelFiles.load(out)) {
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }
}
