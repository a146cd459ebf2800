package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsShardedTest {

    @TempDir
    Path dir;

    private Path twoShards(String extraWeightMap) throws Exception {
        new SafetensorsWriter().add("embed", new float[] {1, 2, 3, 4}, new long[] {2, 2}, DType.F32)
                .add("h.0.w", new float[] {5, 6}, new long[] {2}, DType.BF16)
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("h.1.w", new float[] {7, 8, 9}, new long[] {3}, DType.F16)
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Path index = dir.resolve(ShardedSafetensors.INDEX_FILE);
        Files.writeString(index, "{\"metadata\": {\"total_size\": 26},\n \"weight_map\": {"
                + "\"embed\": \"model-00001-of-00002.safetensors\","
                + "\"h.0.w\": \"model-00001-of-00002.safetensors\","
                + "\"h.1.w\": \"model-00002-of-00002.safetensors\"" + extraWeightMap + "}}");
        return index;
    }

    @Test
    void readsAcrossTwoShards() throws Exception {
        Path index = twoShards("");
        try (ShardedSafetensors s = ShardedSafetensors.open(index)) {
            assertThat(s.tensorNames()).containsExactly("embed", "h.0.w", "h.1.w");
            assertThat(s.metadata()).containsEntry("total_size", "26");
            assertThat(s.readFloats("embed")).containsExactly(1, 2, 3, 4);
            assertThat(s.info("embed").shape()).containsExactly(2, 2);
            assertThat(s.readFloats("h.0.w")).containsExactly(5, 6);
            assertThat(s.readFloats("h.1.w")).containsExactly(7, 8, 9);
            assertThat(s.info("h.1.w").dtype()).isEqualTo(DType.F16);
            s.verify();
            assertThatThrownBy(() -> s.readFloats("nope")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining(index.toString()).hasMessageContaining("\"nope\"");
        }
        try (TensorSource src = CheckpointFiles.open(dir)) {
            assertThat(src).isInstanceOf(ShardedSafetensors.class);
            assertThat(src.readFloats("h.1.w")).containsExactly(7, 8, 9);
        }
    }

    @Test
    void missingShardFileNamesIndexAndTensor() throws Exception {
        Path index = twoShards(", \"lm_head\": \"model-00003-of-00002.safetensors\"");
        try (ShardedSafetensors s = ShardedSafetensors.open(index)) {
            assertThat(s.readFloats("embed")).containsExactly(1, 2, 3, 4); // other shards still work
            assertThatThrownBy(() -> s.readFloats("lm_head")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageStartingWith(index + ": tensor \"lm_head\"")
                    .hasMessageContaining("model-00003-of-00002.safetensors").hasMessageContaining("does not exist");
            assertThatThrownBy(s::verify).isInstanceOf(SafetensorsFormatException.class);
        }
    }

    @Test
    void tensorMissingFromItsShardNamesIndexAndTensor() throws Exception {
        Path index = twoShards(", \"ghost\": \"model-00002-of-00002.safetensors\"");
        try (ShardedSafetensors s = ShardedSafetensors.open(index)) {
            assertThatThrownBy(() -> s.info("ghost")).isInstanceOf(SafetensorsFormatException.class)
                    .hasMessageStartingWith(index + ": tensor \"ghost\"")
                    .hasMessageContaining("model-00002-of-00002.safetensors");
        }
    }

    @Test
    void malformedIndex() throws Exception {
        Path index = dir.resolve(ShardedSafetensors.INDEX_FILE);
        Files.writeString(index, "{\"metadata\": {}}");
        assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(index.toString()).hasMessageContaining("weight_map");
        Files.writeString(index, "{\"weight_map\": {\"w\": \"../../etc/passwd\"}}");
        assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor \"w\"").hasMessageContaining("plain file name");
        Files.writeString(index, "{\"weight_map\": ");
        assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("not valid JSON");
        // found by ShardedSafetensorsFuzzTest (crash-invalid-utf32.json): Jackson takes leading NULs for
        // UTF-32 and used to throw a bare CharConversionException that named no file
        Files.write(index, new byte[] {0, 0, 0, '{', 0, 0x29, 0, 0});
        assertThatThrownBy(() -> ShardedSafetensors.open(index)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(index + ": index is not JSON text");
    }

    @Test
    void singleFileIsPreferred() throws Exception {
        new SafetensorsWriter().add("w", new float[] {1}, new long[] {1}, DType.F32)
                .write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("pytorch_model.bin"), "not really a pickle");
        assertThat(CheckpointFiles.locate(dir)).isEqualTo(dir.resolve("model.safetensors"));
        try (TensorSource src = CheckpointFiles.open(dir)) {
            assertThat(src).isInstanceOf(SafetensorsFile.class);
            assertThat(src.readFloats("w")).containsExactly(1);
        }
    }

    @Test
    void pickleCheckpointsAreRefusedWithConversionHint() throws Exception {
        Files.writeString(dir.resolve("pytorch_model.bin"), "\u0080\u0002 pickle bytes");
        Files.writeString(dir.resolve("extra.ckpt"), "x");
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> CheckpointFiles.open(dir))
                .isInstanceOf(PickleCheckpointRefusedException.class)
                .hasMessageContaining("pytorch_model.bin").hasMessageContaining("extra.ckpt")
                .hasMessageContaining("never unpickled")
                .hasMessageContaining("save_pretrained").hasMessageContaining("safe_serialization=True")
                .hasMessageContaining("safetensors.torch import save_file");
        for (String name : new String[] {"a.pt", "b.PTH", "c.bin"}) {
            assertThat(CheckpointFiles.isPickleName(name)).isTrue();
        }
        assertThat(CheckpointFiles.isPickleName("model.safetensors")).isFalse();
    }

    @Test
    void emptyDirectoryHasNoCheckpoint() {
        assertThatThrownBy(() -> CheckpointFiles.locate(dir)).isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("model.safetensors");
    }
}
