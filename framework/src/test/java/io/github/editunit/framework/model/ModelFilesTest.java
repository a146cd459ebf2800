package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 50, 16, 16, 2, 2, 32, 1e-5, "gelu_new", 49);

    @TempDir
    Path dir;

    private Path saveRandom(long seed) throws IOException {
        try (LanguageModel m = LanguageModel.random(CONFIG, seed, null, Device.cpu())) {
            ModelFiles.save(m, dir, Map.of("note", "test"), null);
        }
        return dir;
    }

    @Test
    void savedAndReloadedModelGivesIdenticalLogitsAndHash() throws IOException {
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
        float[] logits;
        String hash;
        try (LanguageModel m = LanguageModel.random(CONFIG, 5, null, Device.cpu())) {
            try (NDManager s = m.newScope()) {
                logits = m.logits(m.batch(s, List.of(ids)), ForwardHooks.none()).toFloatArray();
            }
            hash = m.parameters().contentHash();
            ModelFiles.save(m, dir, Map.of(), null);
        }
        try (LanguageModel back = ModelFiles.load(dir)) {
            assertThat(back.parameters().contentHash()).isEqualTo(hash);
            try (NDManager s = back.newScope()) {
                assertThat(back.logits(back.batch(s, List.of(ids)), ForwardHooks.none()).toFloatArray())
                        .isEqualTo(logits);
            }
            assertThat(back.config()).isEqualTo(CONFIG);
        }
    }

    @Test
    void checkpointWithoutTransformerPrefixAndWithTiedHeadLoads() throws IOException {
        saveRandom(1);
        String hash;
        try (LanguageModel m = ModelFiles.load(dir); NDManager nd = NDManager.newBaseManager()) {
            hash = m.parameters().contentHash();
            // rewrite the file with HF "gpt2"-style names (no prefix) plus lm_head and attn.bias buffers
            SafetensorsWriter w = new SafetensorsWriter();
            for (String n : m.parameters().names()) {
                w.add(n.substring("transformer.".length()), m.parameters().get(n), DType.F32);
            }
            w.add("lm_head.weight", m.parameters().get("transformer.wte.weight"), DType.F32);
            w.add("h.0.attn.bias", new float[16 * 16], new long[] {1, 1, 16, 16}, DType.F32);
            w.write(dir.resolve("model.safetensors"));
        }
        try (LanguageModel back = ModelFiles.load(dir)) {
            assertThat(back.parameters().contentHash()).isEqualTo(hash);
        }
    }

    @Test
    void halfPrecisionCheckpointLoadsAsFloat32() throws IOException {
        saveRandom(2);
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String n : f.tensorNames()) {
                w.add(n, f.readFloats(n), f.info(n).shape(), DType.BF16);
            }
            Path half = Files.createDirectories(dir.resolve("bf16"));
            w.write(half.resolve("model.safetensors"));
            Files.copy(dir.resolve("config.json"), half.resolve("config.json"));
            try (LanguageModel m = ModelFiles.load(half)) {
                for (float v : m.tokenLogProbs(List.of(new int[] {1, 2, 3})).get(0)) {
                    assertThat(v).isFinite();
                }
            }
        }
    }

    @Test
    void nanWeightsAreRefusedNamingFileAndTensor() throws IOException {
        saveRandom(3);
        rewrite("transformer.h.1.mlp.c_proj.weight", values -> values[7] = Float.NaN);
        assertThatThrownBy(() -> ModelFiles.load(dir))
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("transformer.h.1.mlp.c_proj.weight")
                .hasMessageContaining("NaN");
    }

    @Test
    void shapeMismatchWithConfigIsRefusedNamingTheTensor() throws IOException {
        saveRandom(4);
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("\"n_inner\" : 32", "\"n_inner\" : 64"));
        assertThatThrownBy(() -> ModelFiles.load(dir))
                .hasMessageContaining("mlp.c_fc.weight")
                .hasMessageContaining("shape");
    }

    @Test
    void missingTensorUnknownTensorMissingConfigAndPickleAreExplained() throws IOException {
        saveRandom(5);
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            SafetensorsWriter w = new SafetensorsWriter();
            for (String n : f.tensorNames()) {
                if (!n.equals("transformer.ln_f.bias")) {
                    w.add(n, f.readFloats(n), f.info(n).shape(), DType.F32);
                }
            }
            w.add("transformer.h.0.extra", new float[] {1}, new long[] {1}, DType.F32);
            Path broken = Files.createDirectories(dir.resolve("broken"));
            w.write(broken.resolve("model.safetensors"));
            Files.copy(dir.resolve("config.json"), broken.resolve("config.json"));
            assertThatThrownBy(() -> ModelFiles.load(broken)).hasMessageContaining("transformer.ln_f.bias");
        }
        Path noConfig = Files.createDirectories(dir.resolve("noconfig"));
        assertThatThrownBy(() -> ModelFiles.load(noConfig)).hasMessageContaining("config.json");
        Path pickle = Files.createDirectories(dir.resolve("pickle"));
        Files.copy(dir.resolve("config.json"), pickle.resolve("config.json"));
        Files.write(pickle.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertThatThrownBy(() -> ModelFiles.load(pickle)).hasMessageContaining("pytorch_model.bin")
                .hasMessageContaining("safetensors");
    }

    @Test
    void truncatedWeightsFileIsRefused() throws IOException {
        saveRandom(6);
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> ModelFiles.load(dir)).hasMessageContaining("model.safetensors");
    }

    /** Found by WeightPatchFuzzTest (crash-short-base-hash.bin): a short base hash was a StringIndexOutOfBounds. */
    @Test
    void patchForAnotherBaseIsRefusedWhateverItsBaseHashLooksLike() throws IOException {
        Path patch = dir.resolve("short.patch.safetensors");
        new SafetensorsWriter().putMetadata(WeightPatch.BASE_HASH, "abc")
                .add("transformer.ln_f.bias", new float[16], new long[] {16}, DType.F32).write(patch);
        try (LanguageModel m = LanguageModel.random(CONFIG, 7, null, Device.cpu())) {
            String hash = m.parameters().contentHash();
            assertThatThrownBy(() -> WeightPatch.apply(m, patch)).isInstanceOf(IOException.class)
                    .hasMessage(patch + ": patch was made for weights \"abc\" but the model has " + hash.substring(0, 16)
                            + "…; apply patches to the right base, in order");
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }

    private void rewrite(String tensor, java.util.function.Consumer<float[]> change) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.tensorNames()) {
                float[] v = f.readFloats(n);
                if (n.equals(tensor)) {
                    change.accept(v);
                }
                w.add(n, v, f.info(n).shape(), DType.F32);
            }
        }
        w.write(file);
    }
}
