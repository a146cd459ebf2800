package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.training.TinyModelSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The size {@code train} builds when none is given: six blocks for GPT-2 sandboxes of case files (edits take more
 * often on them, docs/sandboxes.md), the bundled four-block recipe for a generated world and for the Llama and GPT-J
 * architectures. Rules out the six-block default leaking into {@code --world} (the bundled model's recipe) and
 * {@code --layers} being ignored for sandboxes.
 */
class TrainDefaultSizeTest {

    private static TinyModelSpec spec(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.spec();
    }

    @Test
    void caseSandboxesOfGpt2HaveSixBlocksAndEverythingElseTheBundledRecipe() {
        TinyModelSpec sandbox = spec("--cases", "cases.json", "--out", "out");
        assertThat(sandbox).isEqualTo(TinyModelSpec.sandbox());
        assertThat(sandbox.layers()).isEqualTo(6);
        TinyModelSpec bundled = TinyModelSpec.bundled();
        // the sandbox differs from the bundled recipe in its depth only
        assertThat(new TinyModelSpec(sandbox.vocabSize(), sandbox.contextLength(), sandbox.width(), bundled.layers(),
                sandbox.heads(), sandbox.steps(), sandbox.batchTokens(), sandbox.learningRate(), sandbox.seed()))
                .isEqualTo(bundled);
        assertThat(spec("--world", "7", "--out", "out")).isEqualTo(bundled);
        assertThat(spec("--cases", "cases.json", "--out", "out", "--layers", "3").layers()).isEqualTo(3);
        assertThat(spec("--cases", "cases.json", "--out", "out", "--arch", "llama"))
                .isEqualTo(TinyModelSpec.bundledLlama());
        assertThat(spec("--cases", "cases.json", "--out", "out", "--arch", "gptj").layers()).isEqualTo(bundled.layers());
    }
}
