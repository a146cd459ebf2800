package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory estimate printed at load and the refusal of a model that does not fit, checked without a
 * 28 GB file: a directory with the real {@code config.json} of Llama-2-7b and a sharded index whose
 * shards do not exist, so any attempt to read a tensor would fail with a file error instead.
 */
class MemoryCheckTest {

    /** The config.json of meta-llama/Llama-2-7b-hf. */
    static final String LLAMA_2_7B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "bos_token_id": 1,
              "eos_token_id": 2,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 11008,
              "max_position_embeddings": 4096,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 32,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "tie_word_embeddings": false,
              "torch_dtype": "float16",
              "transformers_version": "4.31.0.dev0",
              "use_cache": true,
              "vocab_size": 32000
            }
            """;

    static final long GB = 1_000_000_000L;

    static Path llama7b(Path dir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("Llama-2-7b-hf"));
        Files.writeString(d.resolve("config.json"), LLAMA_2_7B);
        Files.writeString(d.resolve("model.safetensors.index.json"), """
                {"metadata": {"total_size": 13476839424},
                 "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                                "lm_head.weight": "model-00002-of-00002.safetensors"}}
                """);
        return d;
    }

    /** The parameter count is Llama-2-7b's, exactly; float16 halves the weights, not the float64 covariance. */
    @Test
    void estimateOfLlama2_7bFromItsConfig() throws Exception {
        Architecture arch = Architectures.forConfig(ModelConfig.read(llama7b(Files.createTempDirectory("m")).resolve("config.json")));
        MemoryEstimate f32 = MemoryEstimate.of(arch, Precision.FLOAT32);
        MemoryEstimate f16 = MemoryEstimate.of(arch, Precision.FLOAT16);
        assertThat(f32.parameters()).isEqualTo(6_738_415_616L);
        assertThat(f32.weightBytes()).isEqualTo(4 * 6_738_415_616L);
        assertThat(f16.weightBytes()).isEqualTo(2 * 6_738_415_616L);
        assertThat(f16.covarianceBytes()).isEqualTo(f32.covarianceBytes()).isEqualTo(11008L * 11008 * 8 * 3);
        assertThat(f16.updateBytes()).isEqualTo(4096L * 11008 * 16);
        assertThat(MemoryEstimate.gb(f32.weightBytes())).isEqualTo("27.0 GB");
        assertThat(MemoryEstimate.gb(f16.weightBytes())).isEqualTo("13.5 GB");
        assertThat(f32.describe()).startsWith("≈ 27.0 GB for weights (6,738,415,616 parameters × 4 B, float32) + ≈ ");
    }

    /**
     * Llama-2-7b in float32 on a machine with 23.4 GB available is refused with the numbers and the
     * alternative that fits; the shards are never opened. Rules out (a) a check that runs after reading
     * tensors (the missing shard would be reported instead), (b) a refusal without numbers, (c)
     * suggesting a precision that does not fit either or that the runtime cannot represent (bfloat16).
     */
    @Test
    void float32Llama7bIsRefusedBeforeReadingAndFloat16IsSuggested(@TempDir Path tmp) throws Exception {
        Path dir = llama7b(tmp);
        List<String> log = new ArrayList<>();
        LoadOptions options = LoadOptions.defaults().withBudget(() -> MemoryBudget.of(23_400_000_000L, "test budget"))
                .withLog(log::add);
        assertThatThrownBy(() -> ModelFiles.load(dir, options))
                .isInstanceOf(ModelTooLargeException.class)
                .hasMessageStartingWith("Llama-2-7b-hf (llama, 6,738,415,616 parameters) in float32 needs ≈ 27.0 GB for "
                        + "weights + ≈ ")
                .hasMessageContaining("this machine has 23.4 GB available (test budget; 23.4 GB physical)")
                .hasMessageContaining("Use --dtype float16 (hardedit.dtype=float16; ≈ 13.5 GB for weights, ≈ ")
                .hasMessageContaining("--no-memory-check (hardedit.memory.check=false)")
                .hasMessageNotContaining("bfloat16")
                .satisfies(e -> {
                    ModelTooLargeException t = (ModelTooLargeException) e;
                    assertThat(t.estimate().totalBytes()).isGreaterThan(t.availableBytes());
                });
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("[model] memory: ≈ 27.0 GB for weights")
                .contains("23.4 GB available"));
    }

    /**
     * In float16 the same model fits 23.4 GB, so the load goes on and only then fails on the missing
     * shard; with a smaller budget even float16 is refused, saying so. Rules out a check that ignores
     * the precision (a float16 estimate equal to float32's would be refused here).
     */
    @Test
    void float16Llama7bFitsTheSameBudgetAndASmallerOneRefusesIt(@TempDir Path tmp) throws Exception {
        Path dir = llama7b(tmp);
        LoadOptions f16 = LoadOptions.defaults().withPrecision(Precision.FLOAT16)
                .withBudget(() -> MemoryBudget.of(23_400_000_000L, "test budget"));
        assertThatThrownBy(() -> ModelFiles.load(dir, f16))
                .isNotInstanceOf(ModelTooLargeException.class)
                .hasMessageContaining("model-0000");
        assertThatThrownBy(() -> ModelFiles.load(dir, f16.withBudget(() -> MemoryBudget.of(15 * GB, "test budget"))))
                .isInstanceOf(ModelTooLargeException.class)
                .hasMessageContaining("in float16 needs ≈ 13.5 GB for weights")
                .hasMessageContaining("No smaller supported precision");
        assertThatThrownBy(() -> ModelFiles.load(dir, LoadOptions.defaults()
                .withBudget(() -> MemoryBudget.of(15 * GB, "test budget"))))
                .isInstanceOf(ModelTooLargeException.class)
                .hasMessageContaining("Even float16 needs ≈ ");
    }

    /**
     * The check can be switched off (the estimate is still logged), and the bundled model fits any
     * real machine but not a 10 MB budget. Rules out an escape hatch that does not work and a check
     * that only looks at large models.
     */
    @Test
    void theCheckCanBeSwitchedOff() throws Exception {
        Path dir = BundledModels.tiny();
        LoadOptions tiny = LoadOptions.defaults().withBudget(() -> MemoryBudget.of(10_000_000L, "test budget"));
        assertThatThrownBy(() -> ModelFiles.load(dir, tiny)).isInstanceOf(ModelTooLargeException.class)
                .hasMessageContaining("needs ≈ 5 MB for weights");
        List<String> log = new ArrayList<>();
        try (LanguageModel m = ModelFiles.load(dir, tiny.withMemoryCheck(false).withLog(log::add))) {
            assertThat(m.parameters().parameterCount()).isPositive();
        }
        assertThat(log).anySatisfy(l -> assertThat(l).contains("10 MB available").endsWith("memory check off"));
    }

    /**
     * When the device cannot tell its free memory (a GPU without a working CUDA query), the estimate is
     * still logged, the check is skipped and the model loads. Rules out refusing, or failing with a
     * NullPointerException, for want of a number.
     */
    @Test
    void anUnknownBudgetIsLoggedAndNotChecked() throws Exception {
        List<String> log = new ArrayList<>();
        LoadOptions o = new LoadOptions(ai.djl.Device.cpu(), Precision.FLOAT32, List.of(), true, device -> null, log::add);
        try (LanguageModel m = ModelFiles.load(BundledModels.tiny(), o)) {
            assertThat(m.parameters().parameterCount()).isPositive();
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("[model] memory: ≈ 5 MB for weights")
                .endsWith("free memory of cpu unknown, not checked"));
    }

    /** The machine budget reads MemAvailable and lowers it to the room under a cgroup v2 limit. */
    @Test
    void machineBudgetReadsMeminfoAndCgroupLimits(@TempDir Path tmp) throws Exception {
        Path meminfo = tmp.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24684096 kB\nMemFree:        20668088 kB\n"
                + "MemAvailable:   22036416 kB\n");
        Path noCgroup = tmp.resolve("none");
        MemoryBudget b = MemoryBudget.of(meminfo, noCgroup);
        assertThat(b.availableBytes()).isEqualTo(22036416L * 1024);
        assertThat(b.physicalBytes()).isEqualTo(24684096L * 1024);
        assertThat(b.describe()).isEqualTo("22.6 GB available (MemAvailable in /proc/meminfo; 25.3 GB physical)");

        Path cg = Files.createDirectories(tmp.resolve("cg"));
        Files.writeString(cg.resolve("memory.max"), "8589934592\n");
        Files.writeString(cg.resolve("memory.current"), "1073741824\n");
        MemoryBudget limited = MemoryBudget.of(meminfo, cg);
        assertThat(limited.availableBytes()).isEqualTo(8589934592L - 1073741824L);
        assertThat(limited.physicalBytes()).isEqualTo(8589934592L);
        assertThat(limited.source()).isEqualTo("room under the cgroup memory limit");

        Files.writeString(cg.resolve("memory.max"), "max\n");
        assertThat(MemoryBudget.of(meminfo, cg).availableBytes()).isEqualTo(22036416L * 1024);
        assertThat(MemoryBudget.ofMachine().availableBytes()).isPositive();
    }
}
