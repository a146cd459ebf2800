package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.llama.LlamaSettings;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --arch llama|gptj} writes a model of that family in the Hugging Face layout (its
 * own config keys and tensor names), which loads back as that family.
 */
class TrainArchitectureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path cases() throws IOException {
        Path f = tmp.resolve("cases.json");
        Files.writeString(f, """
                [{"case_id": 1, "prompt": "Baipa's area of work is", "target_new": "history", "subject": "Baipa",
                  "ground_truth": "sociology", "rephrase_prompt": "The research of Baipa focuses on",
                  "locality_prompt": "The expertise of Nufond is", "locality_ground_truth": "physics"}]
                """);
        return f;
    }

    private int train(Path out, String... extra) throws IOException {
        String[] base = {"train", "--cases", cases().toString(), "--out", out.toString(), "--vocab", "300", "--context",
                "32", "--width", "16", "--layers", "1", "--heads", "4", "--steps", "2", "--batch-tokens", "64",
                "--repetitions", "2"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CommandLine cli = EditUnitCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void llamaSandboxHasGroupedQueryAttentionAnUntiedHeadAndABeginningOfSequenceToken() throws IOException {
        Path out = tmp.resolve("llama");
        assertThat(train(out, "--arch", "llama", "--kv-heads", "2")).isZero();

        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        // rules out a llama run that silently trains (or writes the config of) a GPT-2
        assertThat(config.get("model_type").asText()).isEqualTo("llama");
        assertThat(config.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
        assertThat(config.get("num_key_value_heads").asInt()).isEqualTo(2);
        assertThat(config.get("tie_word_embeddings").asBoolean()).isFalse();

        // the BOS is an added special token one past the BPE vocabulary and the post-processor adds it
        JsonNode tok = JSON.readTree(out.resolve(TokenizerFiles.TOKENIZER_JSON).toFile());
        int bos = config.get("bos_token_id").asInt();
        assertThat(bos).isEqualTo(config.get("vocab_size").asInt() - 1).isNotEqualTo(config.get("eos_token_id").asInt());
        assertThat(tok.get("added_tokens").findValuesAsText("content")).contains(TokenizerFiles.BEGIN_OF_TEXT);
        JsonNode template = tok.get("post_processor").get("processors").get(1);
        assertThat(template.get("type").asText()).isEqualTo("TemplateProcessing");
        assertThat(template.get("single").get(0).get("SpecialToken").get("id").asText())
                .isEqualTo(TokenizerFiles.BEGIN_OF_TEXT);
        assertThat(template.get("special_tokens").get(TokenizerFiles.BEGIN_OF_TEXT).get("ids").get(0).asInt())
                .isEqualTo(bos);
        assertThat(JSON.readTree(out.resolve(TokenizerFiles.TOKENIZER_CONFIG_JSON).toFile()).get("add_bos_token")
                .asBoolean()).isTrue();

        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(f.tensorNames()).contains("model.layers.0.mlp.down_proj.weight",
                    "model.layers.0.self_attn.k_proj.weight", "lm_head.weight", "model.norm.weight");
            // grouped-query attention: k has kv-heads × head width rows, not heads × head width
            assertThat(f.info("model.layers.0.self_attn.k_proj.weight").shape()).containsExactly(8L, 16L);
            assertThat(f.metadata()).containsEntry("editunit.architecture", "llama")
                    .containsKey("editunit.training.seconds");
        }
        try (LanguageModel m = ModelFiles.load(out)) {
            assertThat(m.architecture().name()).isEqualTo("llama");
            assertThat(((LlamaSettings) m.config().family()).kvHeads()).isEqualTo(2);
        }
    }

    @Test
    void gptjSandboxHasPartialRotaryAndAHeadWithBias() throws IOException {
        Path out = tmp.resolve("gptj");
        assertThat(train(out, "--arch", "gptj")).isZero();
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("gptj");
        // rotary on part of each head (width 16 / 4 heads = 4 dimensions per head, half rotated)
        assertThat(config.get("rotary_dim").asInt()).isEqualTo(2);
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(f.tensorNames()).contains("lm_head.bias", "transformer.h.0.mlp.fc_out.weight");
        }
        try (LanguageModel m = ModelFiles.load(out)) {
            assertThat(m.architecture().name()).isEqualTo("gptj");
        }
    }

    @Test
    void groupedQueryAttentionOutsideLlamaAndUnknownArchitecturesAreUsageErrors() throws IOException {
        // rules out silently ignoring --kv-heads for a family without grouped-query attention
        assertThat(train(tmp.resolve("a"), "--arch", "gptj", "--kv-heads", "2")).isEqualTo(2);
        assertThat(train(tmp.resolve("b"), "--arch", "bert")).isEqualTo(2);
        assertThat(tmp.resolve("a")).doesNotExist();
    }
}
