package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes a whole safetensors file: {@link SafetensorsFile#open} (length prefix, header, sizes) and
 * reading every tensor whose dtype converts to float32. Contract: the file opens and every tensor
 * reads back with its element count, or {@link SafetensorsFormatException} naming the file (and,
 * for a dtype that does not convert to float32, the tensor and the field).
 */
class SafetensorsFileFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void open(byte[] bytes) throws IOException {
        Path file = FuzzFiles.write(dir.resolve("model.safetensors"), bytes);
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(file);
        } catch (SafetensorsFormatException e) {
            assertThat(e.getMessage()).startsWith(file + ": ");
            return;
        }
        try (f) {
            assertThat(f.dataStart()).isBetween(10L, Files.size(file));
            for (String name : f.tensorNames()) {
                TensorInfo info = f.info(name);
                assertThat(f.dataStart() + info.end()).isLessThanOrEqualTo(Files.size(file));
                if (info.dtype().isReadableAsFloat()) {
                    assertThat(f.readFloats(name)).hasSize((int) info.elementCount());
                } else {
                    try {
                        f.readFloats(name);
                        throw new AssertionError("dtype " + info.dtype() + " read as float32");
                    } catch (SafetensorsFormatException e) {
                        assertThat(e.getMessage()).startsWith(file + ": tensor \"" + name + "\": field \"dtype\"");
                    }
                }
            }
        }
    }
}
