package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weight patches ({@code edit --out}): a truncated, emptied or garbled patch is refused with the
 * file's name before the model is touched; a rewritten patch then applies.
 */
class WeightPatchFileTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 50, 16, 16, 2, 2, 32, 1e-5, "gelu_new", 49);
    static final String TENSOR = "transformer.h.1.mlp.c_proj.weight";

    @TempDir
    Path dir;

    /** Writes a patch that changes one tensor of the seed-3 model; returns the edited weights hash. */
    private String writePatch(Path file) throws IOException {
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            String base = m.parameters().contentHash();
            float[] v = m.parameters().get(TENSOR).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.01f * (i % 7);
            }
            m.parameters().set(TENSOR, v);
            WeightPatch.write(file, Map.of(TENSOR, v), m, base, "rome", List.of("c1"));
            return m.parameters().contentHash();
        }
    }

    @Test
    void intactPatchRecordsItsChecksumAndApplies() throws IOException {
        Path patch = dir.resolve("edit.safetensors");
        String edited = writePatch(patch);
        try (SafetensorsFile f = SafetensorsFile.open(patch)) {
            assertThat(f.metadata().get(WeightPatch.SHA256)).hasSize(64);
        }
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            WeightPatch.apply(m, patch);
            assertThat(m.parameters().contentHash()).isEqualTo(edited);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("atomic write left no temp file")
                    .containsExactly("edit.safetensors");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated", "emptied", "garbled-data", "garbled-header", "garbled-checksum"})
    void damagedPatchIsRefusedWithItsNameAndTheModelUntouched(String damage) throws IOException {
        Path patch = dir.resolve("edit.safetensors");
        String edited = writePatch(patch);
        byte[] bytes = Files.readAllBytes(patch);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        switch (damage) {
            case "truncated" -> bytes = Arrays.copyOf(bytes, bytes.length - 40);
            case "emptied" -> bytes = new byte[0];
            // a small change of one float: finite, right size and header; without the checksum only
            // the result hash would notice, after the weights were already overwritten
            case "garbled-data" -> bytes[bytes.length - 6] ^= 0x01;
            case "garbled-header" -> bytes[8 + 1] = '#';
            case "garbled-checksum" -> {
                String text = new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.ISO_8859_1);
                int at = text.indexOf(WeightPatch.SHA256) + WeightPatch.SHA256.length() + 3;
                bytes[8 + at] = (byte) (bytes[8 + at] == 'a' ? 'b' : 'a');
            }
            default -> throw new IllegalArgumentException(damage);
        }
        Files.write(patch, bytes);
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            String base = m.parameters().contentHash();
            assertThatThrownBy(() -> WeightPatch.apply(m, patch)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(patch.toString()).hasMessageContaining("corrupt weight patch, refused")
                    // the data and checksum damages pass every structural check: only the checksum catches them
                    .hasMessageContaining(damage.startsWith("garbled-data") || damage.equals("garbled-checksum")
                            ? "SHA-256" : "");
            assertThat(m.parameters().contentHash()).as("model untouched").isEqualTo(base);

            // refused, not repaired (a patch cannot be regenerated without the edit): writing it again fixes it
            assertThat(writePatch(patch)).isEqualTo(edited);
            WeightPatch.apply(m, patch);
            assertThat(m.parameters().contentHash()).isEqualTo(edited);
        }
    }

    @Test
    void loadingABaseWithADamagedPatchNamesThePatch() throws IOException {
        Path model = dir.resolve("base");
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            ModelFiles.save(m, model, Map.of(), null);
        }
        Path patch = dir.resolve("p.safetensors");
        writePatch(patch);
        Files.write(patch, Arrays.copyOf(Files.readAllBytes(patch), 20));
        assertThatThrownBy(() -> ModelFiles.load(model, Device.cpu(), List.of(patch)))
                .hasMessageStartingWith(patch.toString());
        Path missing = dir.resolve("nope.safetensors");
        assertThatThrownBy(() -> ModelFiles.load(model, Device.cpu(), List.of(missing)))
                .hasMessageStartingWith(missing.toString()).hasMessageContaining("not found");
    }

    /**
     * A patch written before the running weights hash records base and result hashes of the older (flat) form; it
     * still applies to its own base, and still is refused on another model. Rules out dropping the old form (every
     * existing patch refused) and a fallback that skips the base check.
     */
    @Test
    void patchWithHashesOfTheOlderFormAppliesToItsBaseOnly() throws IOException {
        Path patch = dir.resolve("old.safetensors");
        String edited = writePatch(patch);
        String newBase;
        String oldBase;
        String oldResult;
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            newBase = m.parameters().contentHash();
            oldBase = m.parameters().legacyContentHash();
            WeightPatch.apply(m, patch);
            oldResult = m.parameters().legacyContentHash();
        }
        assertThat(oldBase).isNotEqualTo(newBase);
        // both forms are 64 hex digits, so the header keeps its length
        String bytes = Files.readString(patch, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(newBase, oldBase).replace(edited, oldResult);
        Files.writeString(patch, bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        try (SafetensorsFile f = SafetensorsFile.open(patch)) {
            assertThat(f.metadata().get(WeightPatch.BASE_HASH)).isEqualTo(oldBase);
        }
        try (LanguageModel m = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            WeightPatch.apply(m, patch);
            assertThat(m.parameters().contentHash()).isEqualTo(edited);
        }
        try (LanguageModel other = LanguageModel.random(CONFIG, 4, null, Device.cpu())) {
            String before = other.parameters().contentHash();
            assertThatThrownBy(() -> WeightPatch.apply(other, patch)).hasMessageContaining("patch was made for weights "
                    + oldBase.substring(0, 16));
            assertThat(other.parameters().contentHash()).isEqualTo(before);
        }
    }
}
