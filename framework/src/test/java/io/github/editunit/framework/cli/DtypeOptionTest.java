package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dtype} and {@code --no-memory-check} on the commands that load a model (shared ModelOptions). */
class DtypeOptionTest {

    /**
     * model-info in float16 reports the precision, 2-byte weights and the estimate, next to the
     * existing fields, and prints the one-line estimate on stderr. Rules out renaming or dropping the
     * existing JSON fields and an estimate that ignores the precision.
     */
    @Test
    void modelInfoShowsDtypeAndMemoryEstimate() throws Exception {
        CliRun r = CliRun.execute("model-info", "--model", "bundled", "--dtype", "float16", "--json");
        assertThat(r.rc()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String existing : new String[] {"model", "architecture", "layers", "width", "parameters", "device",
                "weightsHash"}) {
            assertThat(j.has(existing)).as(existing).isTrue();
        }
        long params = j.get("parameters").asLong();
        assertThat(j.get("dtype").asText()).isEqualTo("float16");
        assertThat(j.get("checkpointDtypes").get(0).asText()).isEqualTo("F32");
        assertThat(j.get("weightsBytes").asLong()).isEqualTo(2 * params);
        assertThat(j.get("estimatedTotalBytes").asLong()).isEqualTo(2 * params + j.get("estimatedWorkingSetBytes").asLong());
        assertThat(j.get("availableMemoryBytes").asLong()).isPositive();
        assertThat(j.get("memoryEstimate").asText()).startsWith("≈ 3 MB for weights (1,334,016 parameters × 2 B, float16)");
        assertThat(r.err()).contains("[model] memory: ≈ 3 MB for weights").contains("float16) in ");

        CliRun f32 = CliRun.execute("model-info", "--model", "bundled", "--json");
        JsonNode k = new ObjectMapper().readTree(f32.out());
        assertThat(k.get("dtype").asText()).isEqualTo("float32");
        assertThat(k.get("weightsBytes").asLong()).isEqualTo(4 * params);
        assertThat(k.get("weightsHash").asText()).isNotEqualTo(j.get("weightsHash").asText());
    }

    /** An unknown --dtype is a usage error naming the allowed values; bfloat16 is a load error naming the alternative. */
    @Test
    void unknownDtypeIsAUsageErrorAndBfloat16ALoadError() {
        CliRun bad = CliRun.execute("model-info", "--model", "bundled", "--dtype", "float8");
        assertThat(bad.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(bad.err()).contains("--dtype float8: unknown dtype 'float8'; use float32, float16, bfloat16");
        assertThat(bad.out()).isEmpty();

        CliRun bf16 = CliRun.execute("model-info", "--model", "bundled", "--dtype", "bfloat16");
        assertThat(bf16.rc()).isEqualTo(EditUnitCli.EXIT_ERROR);
        assertThat(bf16.err()).contains("bfloat16 is not supported on cpu").contains("use dtype float16");
        assertThat(bf16.err()).doesNotContain("[model] memory");
    }

    /** The config.json of meta-llama/Llama-2-70b-hf: 69 billion parameters, 138 GB in float16. */
    static final String LLAMA_2_70B = """
            {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 8192, "initializer_range": 0.02, "intermediate_size": 28672,
             "max_position_embeddings": 4096, "model_type": "llama", "num_attention_heads": 64,
             "num_hidden_layers": 80, "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "float16", "vocab_size": 32000}
            """;

    /**
     * A 70B model (no weights: only config.json and an index naming absent shards) is refused with the
     * numbers on any machine with less than ≈ 300 GB; {@code --no-memory-check} lets the load go on to
     * the missing shard. Rules out a refusal that reads tensors first and an escape hatch that does not
     * reach the loader.
     */
    @Test
    void aModelThatDoesNotFitIsRefusedUnlessTheCheckIsOff(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("Llama-2-70b-hf"));
        Files.writeString(dir.resolve("config.json"), LLAMA_2_70B);
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"metadata": {}, "weight_map": {"model.embed_tokens.weight": "model-00001-of-00015.safetensors"}}
                """);
        CliRun refused = CliRun.execute("model-info", "--model", dir.toString());
        assertThat(refused.rc()).isEqualTo(EditUnitCli.EXIT_ERROR);
        assertThat(refused.err()).contains("Llama-2-70b-hf (llama, 68,976,648,192 parameters) in float32 needs ≈ 275.9 GB "
                + "for weights").contains("available").contains("--no-memory-check");

        CliRun forced = CliRun.execute("model-info", "--model", dir.toString(), "--dtype", "float16", "--no-memory-check");
        assertThat(forced.rc()).isEqualTo(EditUnitCli.EXIT_ERROR);
        assertThat(forced.err()).contains("memory check off").contains("model-00001-of-00015.safetensors")
                .doesNotContain("in float16 needs");
    }
}
