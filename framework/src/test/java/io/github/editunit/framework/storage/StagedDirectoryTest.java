package io.github.editunit.framework.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory written as a whole: absent or complete (with its manifest), never half-written. */
class StagedDirectoryTest {

    @TempDir
    Path root;

    private List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitMovesTheCompleteDirectoryWithItsManifestIntoPlace() throws IOException {
        Path out = root.resolve("model");
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            Files.writeString(staged.path().resolve("config.json"), "{}");
            Files.createDirectories(staged.path().resolve("suites"));
            Files.writeString(staged.path().resolve("suites/a.json"), "[]");
            // while writing, the target does not exist: rules out writing in place
            assertThat(out).doesNotExist();
            assertThat(staged.path().getParent()).isEqualTo(root);
            assertThat(staged.path().getFileName().toString()).startsWith(".model.partial-");
            staged.commit();
        }
        assertThat(names(root)).containsExactly("model");
        assertThat(names(out)).containsExactly("config.json", ModelManifest.FILE_NAME, "suites");
        ModelManifest m = ModelManifest.read(out).orElseThrow();
        assertThat(m.entries()).containsOnlyKeys("config.json", "suites/a.json");
        assertThat(m.problems(out, f -> true)).isEmpty();
        assertThat(m.entries().get("config.json").size()).isEqualTo(2);
    }

    @Test
    void interruptedWriteLeavesNoTargetAndNoStagingDirectory() throws IOException {
        Path out = root.resolve("model");
        assertThatThrownBy(() -> {
            try (StagedDirectory staged = StagedDirectory.begin(out)) {
                Files.writeString(staged.path().resolve("tokenizer.json"), "{}");
                throw new IllegalStateException("training diverged");
            }
        }).hasMessage("training diverged");
        assertThat(names(root)).isEmpty();
    }

    @Test
    void interruptedReplacementKeepsThePreviousCompleteVersion() throws IOException {
        Path out = root.resolve("model");
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            Files.writeString(staged.path().resolve("config.json"), "{\"v\": 1}");
            staged.commit();
        }
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            Files.writeString(staged.path().resolve("config.json"), "{\"v\": 2}");
            // no commit: as if the process stopped here
        }
        assertThat(Files.readString(out.resolve("config.json"))).isEqualTo("{\"v\": 1}");
        assertThat(names(root)).containsExactly("model");

        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            Files.writeString(staged.path().resolve("config.json"), "{\"v\": 3}");
            staged.commit();
        }
        // a complete new version replaces the old one as a whole: no file of version 1 survives
        assertThat(Files.readString(out.resolve("config.json"))).isEqualTo("{\"v\": 3}");
        assertThat(ModelManifest.read(out).orElseThrow().problems(out, f -> true)).isEmpty();
        assertThat(names(root)).containsExactly("model");
    }

    @Test
    void directoryThatIsNotAModelIsNeverReplaced() throws IOException {
        Path home = root.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("thesis.tex"), "years of work");
        assertThatThrownBy(() -> StagedDirectory.begin(home)).isInstanceOf(IOException.class)
                .hasMessageContaining(home.toString()).hasMessageContaining("not a model directory");
        assertThat(names(home)).containsExactly("thesis.tex");
        assertThat(names(root)).containsExactly("home");
    }

    @Test
    void leftoversOfDeadProcessesAreRemovedAndLiveOnesKept() throws IOException {
        long deadPid = 999_999_999L; // above Linux's pid_max
        Path dead = Files.createDirectories(root.resolve(".model.partial-" + deadPid + "-123"));
        Files.writeString(dead.resolve("config.json"), "{}");
        Path live = Files.createDirectories(root.resolve(".model.partial-" + ProcessHandle.current().pid() + "-456"));
        Path other = Files.createDirectories(root.resolve(".other.partial-" + deadPid + "-1"));
        try (StagedDirectory staged = StagedDirectory.begin(root.resolve("model"))) {
            assertThat(staged.path()).exists();
            assertThat(dead).doesNotExist();
            assertThat(live).exists();
            assertThat(other).as("another target's staging is not touched").exists();
        }
    }
}
