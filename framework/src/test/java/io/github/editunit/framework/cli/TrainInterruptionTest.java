package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.training.TrainingCheckpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -TERM} during {@code ./editunit train}: the child JVM stops at a training step
 * instead of crashing in libtorch (no {@code hs_err_pid*.log}), leaves no model directory and no
 * staging directory, only a checkpoint, and {@code --resume} finishes the run with exactly the
 * weights of a run that was never stopped. Before the interruption guard the JVM tore libtorch
 * down under the running backward (SIGSEGV in {@code at::accelerator::getAccelerator}).
 */
class TrainInterruptionTest {

    @TempDir
    Path tmp;

    private static List<String> trainArgs(Path out) {
        return List.of("train", "--world", "3", "--out", out.toString(), "--layers", "1", "--width", "32", "--heads",
                "2", "--context", "64", "--vocab", "300", "--steps", "400", "--batch-tokens", "512",
                "--checkpoint-every", "0");
    }

    @Test
    void sigtermStopsTrainingCleanlyAndResumeFinishesItExactly() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path out = tmp.resolve("stopped");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                EditUnitCli.class.getName()));
        cmd.addAll(trainArgs(out));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch training = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                    if (line.contains("[train] step 51/400")) {
                        training.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                log.add("reader: " + e);
            }
        });
        reader.start();
        assertThat(training.await(5, TimeUnit.MINUTES)).as("training reached step 51; log:\n%s", String.join("\n", log))
                .isTrue();
        // kill -TERM, as a CI runner or a user does (Process.destroy() would also close our end of the pipe)
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        reader.join(10_000);
        String text = String.join("\n", log);

        assertThat(p.exitValue()).as("exit status after SIGTERM; log:\n%s", text).isEqualTo(143);
        assertThat(text).contains("stop requested").contains("training stopped after step").contains("--resume");
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err_pid"));
        }
        assertThat(out).as("no partial model directory").doesNotExist();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".partial"));
        }
        Path checkpoint = TrainCommand.checkpointDirectory(out);
        assertThat(TrainingCheckpoint.file(checkpoint)).isRegularFile();

        List<String> resume = new ArrayList<>(trainArgs(out));
        resume.addAll(List.of("--resume", checkpoint.toString()));
        assertThat(EditUnitCli.commandLine().execute(resume.toArray(String[]::new))).isZero();
        assertThat(checkpoint).as("checkpoint removed once the model is complete").doesNotExist();

        Path reference = tmp.resolve("uninterrupted");
        assertThat(EditUnitCli.commandLine().execute(trainArgs(reference).toArray(String[]::new))).isZero();
        try (LanguageModel resumed = ModelFiles.load(out); LanguageModel whole = ModelFiles.load(reference)) {
            assertThat(resumed.parameters().contentHash()).as("resumed = uninterrupted, bit for bit")
                    .isEqualTo(whole.parameters().contentHash());
        }
    }

    @Test
    void sigtermDuringSequentialEditingLeavesNoPatchAndNoCrash() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("edit-work"));
        Path patch = work.resolve("edits.safetensors");
        Path cases = io.github.editunit.models.BundledModels.tinySuite("single-edit.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                EditUnitCli.class.getName(), "edit", "--model", "bundled", "--cases", cases.toString(), "--method",
                "rome", "--sequential", "--limit", "30", "--no-ppl", "--stats-dir", tmp.resolve("stats").toString(),
                "--out", patch.toString(), "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch editing = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                    if (line.startsWith("[edit] 2/30")) {
                        editing.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                log.add("reader: " + e);
            }
        });
        reader.start();
        assertThat(editing.await(5, TimeUnit.MINUTES)).as("two edits done; log:\n%s", String.join("\n", log)).isTrue();
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        reader.join(10_000);
        String text = String.join("\n", log);
        assertThat(p.exitValue()).as("exit status after SIGTERM; log:\n%s", text).isEqualTo(143);
        assertThat(text).contains("stop requested").doesNotContain("[edit] 30/30");
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).as("no patch, no temporary file, no hs_err")
                    .isEmpty();
        }
    }
}
