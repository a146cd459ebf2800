package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link WeightPatch#apply} on a tiny random GPT-2 (DJL engine). The input is the patch's
 * header JSON, a NUL byte, then the tensor data; the target writes the 8-byte length prefix itself,
 * so that mutations of the header stay a well-framed safetensors file (the framing is fuzzed by
 * {@code SafetensorsFileFuzzTest}). Every occurrence of the 64-character placeholder
 * {@value #BASE_PLACEHOLDER} is replaced by the model's weights hash, which lets the fuzzer past the
 * base-hash check to the tensor checks. Contract: the patch applies (the model then has the
 * recorded result hash, if any), or an {@link IOException} naming the file that leaves the model
 * unchanged.
 */
class WeightPatchFuzzTest {

    static final String BASE_PLACEHOLDER = "BASEHASHBASEHASHBASEHASHBASEHASHBASEHASHBASEHASHBASEHASHBASEHASH";
    static final ModelConfig CONFIG = new ModelConfig("gpt2", 8, 4, 4, 1, 1, 8, 1e-5, "gelu_new", 7);

    @TempDir
    static Path dir;

    private static LanguageModel model;
    private static WeightSnapshot original;
    private static String hash;

    @BeforeAll
    static void model() {
        model = LanguageModel.random(CONFIG, 3, null, Device.cpu());
        original = model.parameters().snapshot(model.parameters().names());
        hash = model.parameters().contentHash();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @FuzzTest
    void apply(byte[] bytes) {
        byte[] input = FuzzFiles.replaceAll(bytes, BASE_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
        int cut = FuzzFiles.firstNul(input);
        ByteBuffer patch = ByteBuffer.allocate(8 + input.length - (cut < input.length ? 1 : 0))
                .order(ByteOrder.LITTLE_ENDIAN).putLong(cut).put(input, 0, cut);
        if (cut < input.length) {
            patch.put(input, cut + 1, input.length - cut - 1);
        }
        Path file = FuzzFiles.write(dir.resolve("edit.patch.safetensors"), patch.array());
        try {
            Map<String, String> meta = WeightPatch.apply(model, file);
            assertThat(meta.get(WeightPatch.BASE_HASH)).isEqualTo(hash);
            String result = meta.get(WeightPatch.RESULT_HASH);
            if (result != null) {
                assertThat(model.parameters().contentHash()).isEqualTo(result);
            }
            model.parameters().restore(original);
        } catch (IOException e) {
            FuzzFiles.assertNamesFile(e, file);
            assertThat(model.parameters().contentHash()).isEqualTo(hash);
        }
    }
}
