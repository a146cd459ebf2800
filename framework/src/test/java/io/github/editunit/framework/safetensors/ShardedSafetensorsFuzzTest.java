package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the sharded index {@code model.safetensors.index.json}: {@link ShardedSafetensors#open},
 * {@link ShardedSafetensors#verify()} (opens the shards it names) and reading every tensor. Next
 * to the index lies one valid shard holding tensors {@code a} (F32 [2]) and {@code b} (F16 [3]).
 * Contract: a consistent index, or {@link SafetensorsFormatException} naming the index.
 */
class ShardedSafetensorsFuzzTest {

    static final String SHARD = "model-00001-of-00001.safetensors";

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeShard() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("a", new float[] {1f, -2f}, new long[] {2}, DType.F32);
        w.add("b", new float[] {0.5f, 3f, -0f}, new long[] {3}, DType.F16);
        w.write(dir.resolve(SHARD));
    }

    @FuzzTest
    void index(byte[] json) throws IOException {
        Path index = FuzzFiles.write(dir.resolve(ShardedSafetensors.INDEX_FILE), json);
        ShardedSafetensors s;
        try {
            s = ShardedSafetensors.open(index);
        } catch (SafetensorsFormatException e) {
            assertThat(e.getMessage()).startsWith(index + ": ");
            return;
        }
        try (s) {
            try {
                s.verify();
            } catch (SafetensorsFormatException e) {
                // the index itself, or a shard it names (the index is also a file in the directory)
                assertThat(e.getMessage()).startsWith(dir.toString());
                return;
            }
            for (String name : s.tensorNames()) {
                assertThat(s.weightMap().get(name)).doesNotContain("/").isNotEmpty();
                assertThat(s.readFloats(name)).hasSize((int) s.info(name).elementCount());
            }
        }
    }
}
