package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failing writes leave the target absent or byte-for-byte intact, and no temporary files behind. */
class SafetensorsWriterAtomicityTest {

    @TempDir
    Path dir;

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void failureMidWriteKeepsExistingTargetIntact() throws Exception {
        Path target = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("v1", new float[] {1, 2, 3}, new long[] {3}, DType.F32).write(target);
        byte[] before = Files.readAllBytes(target);

        try (NDManager m = NDManager.newBaseManager()) {
            NDArray closed = m.create(new float[] {4, 5});
            SafetensorsWriter w = new SafetensorsWriter()
                    .add("first", new float[300_000], new long[] {300_000}, DType.F32) // written before the failure
                    .add("second", closed, DType.F16);
            closed.close(); // fetching its data during write() now fails, after "first" was written
            assertThatThrownBy(() -> w.write(target)).isInstanceOf(RuntimeException.class);
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        assertThat(filesIn(dir)).isEqualTo(1);
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            assertThat(f.readFloats("v1")).containsExactly(1, 2, 3);
        }
    }

    @Test
    void failureMidWriteLeavesNoTargetWhenNoneExisted() throws Exception {
        Path target = dir.resolve("model.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray closed = m.create(new float[] {4, 5});
            SafetensorsWriter w = new SafetensorsWriter()
                    .add("first", new float[] {1}, new long[] {1}, DType.F32)
                    .add("second", closed, DType.BF16);
            closed.close();
            assertThatThrownBy(() -> w.write(target)).isInstanceOf(RuntimeException.class);
        }
        assertThat(target).doesNotExist();
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void failingRenameRemovesTempFileAndKeepsTarget() throws Exception {
        // the target is a non-empty directory: the whole file is written, then the rename fails
        Path target = dir.resolve("model.safetensors");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "keep");
        SafetensorsWriter w = new SafetensorsWriter().add("x", new float[] {1}, new long[] {1}, DType.F32);
        assertThatThrownBy(() -> w.write(target)).isInstanceOf(java.io.IOException.class);
        assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("keep");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void missingDirectoryFailsWithoutCreatingAnything() {
        Path target = dir.resolve("no-such-dir").resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter().add("x", new float[] {1}, new long[] {1}, DType.F32);
        assertThatThrownBy(() -> w.write(target)).isInstanceOf(java.io.IOException.class);
        assertThat(target.getParent()).doesNotExist();
    }

    @Test
    void overwritesAtomicallyAndKeepsPermissions() throws Exception {
        Path target = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("v1", new float[] {1}, new long[] {1}, DType.F32).write(target);
        assertThat(Files.getPosixFilePermissions(target))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        new SafetensorsWriter().add("v2", new float[] {2, 3}, new long[] {2}, DType.BF16).write(target);
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            assertThat(f.tensorNames()).containsExactly("v2");
            assertThat(f.readFloats("v2")).containsExactly(2, 3);
        }
        assertThat(filesIn(dir)).isEqualTo(1);
    }
}
