package io.github.editunit.framework.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.RunInterruptedException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped training run leaves a checkpoint, and resuming from it ends with exactly the weights
 * of a run that was never stopped. Rules out a resume that restarts the batch order, drops the
 * Adam moments or the skipped-step count (each changes the final weights), and a checkpoint
 * written only periodically (the stop at step 13 is not a multiple of the period 5).
 */
class TrainingCheckpointTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 48, 32, 32, 2, 2, 64, 1e-5, "gelu_new", 47);
    static final TrainingConfig TRAINING = TrainingConfig.defaults(30).withBatchTokens(256).withLearningRate(1e-2);

    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        Interruption.clearForTests();
    }

    private static List<int[]> data() {
        return LanguageModelTrainerTest.corpus(48, 120, 9);
    }

    @Test
    void aStoppedAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne() {
        String uninterrupted;
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            TrainingReport r = new LanguageModelTrainer(model, TRAINING).train(data(), Progress.silent(), null);
            assertThat(r.skippedSteps()).isZero();
            uninterrupted = model.parameters().contentHash();
        }
        Path ckpt = tmp.resolve("ckpt");
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            LanguageModelTrainer t = new LanguageModelTrainer(model, TRAINING).checkpointTo(ckpt, 5);
            assertThatThrownBy(() -> t.train(data(), Progress.silent(), step -> {
                if (step == 12) {
                    Interruption.request("test stop");
                }
            })).isInstanceOf(RunInterruptedException.class).hasMessageContaining("after step 13 of 30")
                    .hasMessageContaining("--resume " + ckpt);
        }
        Interruption.clearForTests();
        assertThat(TrainingCheckpoint.file(ckpt)).isRegularFile();
        try (LanguageModel model = LanguageModel.random(CONFIG, 77, null, Device.cpu())) {
            TrainingReport r = new LanguageModelTrainer(model, TRAINING).resumeFrom(ckpt)
                    .train(data(), Progress.silent(), null);
            assertThat(r.losses()).hasSize(30);
            assertThat(model.parameters().contentHash()).as("resumed run = uninterrupted run").isEqualTo(uninterrupted);
            // the report knows it resumed: its time and throughput are this run's, not the whole training's
            assertThat(r.resumedFromStep()).isEqualTo(13);
            assertThat(r.resumedTokens()).isPositive().isLessThan(r.tokens());
            assertThat(r.tokensPerSecond()).isCloseTo((r.tokens() - r.resumedTokens()) / r.seconds(),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void aCheckpointOfOtherDataOrATruncatedOneIsRefusedWithItsName() throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            new LanguageModelTrainer(model, TRAINING.withSteps(12)).checkpointTo(ckpt, 5)
                    .train(data(), Progress.silent(), null);
        }
        Path file = TrainingCheckpoint.file(ckpt);
        assertThat(file).isRegularFile();
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            List<int[]> other = LanguageModelTrainerTest.corpus(48, 120, 10);
            assertThatThrownBy(() -> new LanguageModelTrainer(model, TRAINING.withSteps(12)).resumeFrom(ckpt)
                    .train(other, Progress.silent(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("other training data or settings");
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            assertThatThrownBy(() -> new LanguageModelTrainer(model, TRAINING.withSteps(12)).resumeFrom(ckpt)
                    .train(data(), Progress.silent(), null)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(file.toString());
        }
    }
}
