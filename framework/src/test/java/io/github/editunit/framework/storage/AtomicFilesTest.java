package io.github.editunit.framework.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the target is the old or the complete new content, never partial, and no temp file is left. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void failingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a.json");
        AtomicFiles.writeString(target, "old content");
        assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        // rules out writing in place (the target would hold "half of the new")
        assertThat(Files.readString(target)).isEqualTo("old content");
        assertThat(entries()).as("temporary file deleted").isEqualTo(1);
    }

    @Test
    void successfulWriteReplacesTheFileWithOrdinaryPermissions() throws IOException {
        Path target = dir.resolve("sub").resolve("b.txt");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertThat(Files.readString(target)).isEqualTo("two");
        // temp files are created owner-only; rules out leaving rw------- on a model file
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("b.txt");
        }
    }

    @Test
    void moveIntoPlaceReplacesAnExistingTarget() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.writeString(a, "new");
        Files.writeString(b, "old");
        AtomicFiles.moveIntoPlace(a, b);
        assertThat(Files.readString(b)).isEqualTo("new");
        assertThat(a).doesNotExist();
    }
}
