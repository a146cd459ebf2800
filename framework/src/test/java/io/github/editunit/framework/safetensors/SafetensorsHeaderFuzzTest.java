package io.github.editunit.framework.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fuzzes the safetensors header layer in memory (no file, no engine): the length check and the
 * JSON validation of {@link SafetensorsHeader}. The input is the header JSON; the data buffer
 * behind it is {@value #DATA_SIZE} bytes. Contract: a header whose every entry is consistent, or
 * a {@link SafetensorsFormatException} naming the file.
 */
class SafetensorsHeaderFuzzTest {

    private static final String FILE = "fuzz.safetensors";
    private static final long DATA_SIZE = 4096;

    @FuzzTest
    void header(byte[] json) {
        SafetensorsHeader header;
        try {
            SafetensorsHeader.checkHeaderLength(FILE, json.length, 8L + json.length + DATA_SIZE);
            header = SafetensorsHeader.parse(FILE, json, DATA_SIZE);
        } catch (SafetensorsFormatException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ");
            assertThat(e.file()).isEqualTo(FILE);
            return;
        }
        assertThat(header.metadata()).doesNotContainKey(null);
        List<TensorInfo> used = new ArrayList<>();
        header.tensors().forEach((name, t) -> {
            assertThat(t.name()).isEqualTo(name).isNotEqualTo(SafetensorsHeader.METADATA_KEY);
            assertThat(t.begin()).isNotNegative().isLessThanOrEqualTo(t.end());
            assertThat(t.end()).isLessThanOrEqualTo(DATA_SIZE);
            assertThat(t.byteSize()).isEqualTo(t.elementCount() * t.dtype().byteSize());
            if (t.byteSize() > 0) {
                used.add(t);
            }
        });
        used.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < used.size(); i++) {
            assertThat(used.get(i).begin()).isGreaterThanOrEqualTo(used.get(i - 1).end());
        }
    }
}
