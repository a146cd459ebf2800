package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the DJL-backed read path: {@link SafetensorsFile#toNDArray} for every tensor of a fuzzed
 * file whose dtype converts (what {@code ModelFiles.load} does). Contract as for
 * {@link SafetensorsFileFuzzTest}; every array has the header's shape and float32 type.
 */
class SafetensorsNDArrayFuzzTest {

    @TempDir
    static Path dir;

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        DjlRuntime.prepare();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @FuzzTest
    void toNDArray(byte[] bytes) throws IOException {
        Path file = FuzzFiles.write(dir.resolve("model.safetensors"), bytes);
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(file);
        } catch (SafetensorsFormatException e) {
            assertThat(e.getMessage()).startsWith(file + ": ");
            return;
        }
        try (f; NDManager scope = manager.newSubManager()) {
            for (String name : f.tensorNames()) {
                TensorInfo info = f.info(name);
                if (!info.dtype().isReadableAsFloat()) {
                    continue;
                }
                NDArray a = f.toNDArray(name, scope);
                assertThat(a.getShape().getShape()).isEqualTo(info.shape());
                assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(a.size()).isEqualTo(info.elementCount());
            }
        }
    }
}
