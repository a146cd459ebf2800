package io.github.editunit.framework.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture-independent part of a Hugging Face {@code config.json}.
 *
 * @param modelType the {@code model_type} field, e.g. {@code gpt2}
 * @param vocabSize number of token embeddings
 * @param contextLength maximum positions
 * @param width residual stream width {@code d}
 * @param layers number of transformer blocks {@code L}
 * @param heads attention heads
 * @param innerWidth MLP inner width {@code d_k}
 * @param layerNormEpsilon epsilon of the layer norms
 * @param activation activation function name as in the HF config
 * @param eosTokenId end-of-text token id
 * @param family the family's own settings ({@code null} for GPT-2), e.g. {@code LlamaSettings}
 */
public record ModelConfig(
        String modelType,
        int vocabSize,
        int contextLength,
        int width,
        int layers,
        int heads,
        int innerWidth,
        double layerNormEpsilon,
        String activation,
        int eosTokenId,
        FamilySettings family) {

    private static final ObjectMapper JSON = ConfigJson.JSON;

    /** Families this build can run, by {@code model_type}. */
    public static final java.util.List<String> SUPPORTED_TYPES = java.util.List.of("gpt2", "gptj", "llama",
            "mistral", "qwen2");

    /** A configuration without family settings (GPT-2). */
    public ModelConfig(String modelType, int vocabSize, int contextLength, int width, int layers, int heads,
            int innerWidth, double layerNormEpsilon, String activation, int eosTokenId) {
        this(modelType, vocabSize, contextLength, width, layers, heads, innerWidth, layerNormEpsilon, activation,
                eosTokenId, null);
    }

    public ModelConfig {
        require(vocabSize > 0, "vocab_size", vocabSize);
        require(contextLength > 0, "n_positions", contextLength);
        require(width > 0, "n_embd", width);
        require(layers > 0, "n_layer", layers);
        require(heads > 0 && (family != null || width % heads == 0), "n_head (must divide n_embd)", heads);
        require(innerWidth > 0, "n_inner", innerWidth);
        require(eosTokenId >= 0 && eosTokenId < vocabSize, "eos_token_id", eosTokenId);
    }

    private static void require(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("config.json: invalid \"" + field + "\": " + value);
        }
    }

    /** A GPT-2 configuration with the usual defaults (inner width 4d, eps 1e-5, gelu_new). */
    public static ModelConfig gpt2(int vocabSize, int contextLength, int width, int layers, int heads) {
        return new ModelConfig("gpt2", vocabSize, contextLength, width, layers, heads, 4 * width, 1e-5,
                "gelu_new", vocabSize - 1);
    }

    /** GPT-2 small: 124M parameters. */
    public static ModelConfig gpt2Small() {
        return gpt2(50257, 1024, 768, 12, 12);
    }

    /** Reads {@code config.json}; errors name the file and the field. */
    public static ModelConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        String family = ConfigJson.text(root, "model_type", "gpt2").toLowerCase(java.util.Locale.ROOT);
        try {
            switch (family) {
                case "gpt2":
                    break;
                case "llama":
                case "mistral":
                case "qwen2":
                    return io.github.editunit.framework.model.llama.LlamaSettings.read(file, root);
                case "gptj":
                    return io.github.editunit.framework.model.gptj.GptjSettings.read(file, root);
                default:
                    throw new IOException(file + ": \"model_type\": \"" + root.get("model_type").asText()
                            + "\" is not supported (supported: " + String.join(", ", SUPPORTED_TYPES) + ")");
            }
            String type = ConfigJson.text(root, "model_type", "gpt2");
            int width = ConfigJson.integer(file, root, "n_embd", "hidden_size");
            int vocab = ConfigJson.integer(file, root, "vocab_size");
            int inner = root.hasNonNull("n_inner") ? root.get("n_inner").asInt()
                    : root.hasNonNull("intermediate_size") ? root.get("intermediate_size").asInt() : 4 * width;
            return new ModelConfig(
                    type,
                    vocab,
                    ConfigJson.integer(file, root, "n_positions", "n_ctx", "max_position_embeddings"),
                    width,
                    ConfigJson.integer(file, root, "n_layer", "num_hidden_layers"),
                    ConfigJson.integer(file, root, "n_head", "num_attention_heads"),
                    inner,
                    root.hasNonNull("layer_norm_epsilon") ? root.get("layer_norm_epsilon").asDouble() : 1e-5,
                    ConfigJson.text(root, "activation_function", "gelu_new"),
                    root.hasNonNull("eos_token_id") ? root.get("eos_token_id").asInt() : vocab - 1);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage().replace("config.json: ", ""), e);
        }
    }

    /** Writes this configuration as the family's Hugging Face {@code config.json} object. */
    public ObjectNode toJson() {
        if (family != null) {
            return family.toJson(this);
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", modelType);
        n.putArray("architectures").add("GPT2LMHeadModel");
        n.put("vocab_size", vocabSize);
        n.put("n_positions", contextLength);
        n.put("n_ctx", contextLength);
        n.put("n_embd", width);
        n.put("n_layer", layers);
        n.put("n_head", heads);
        n.put("n_inner", innerWidth);
        n.put("layer_norm_epsilon", layerNormEpsilon);
        n.put("activation_function", activation);
        n.put("bos_token_id", eosTokenId);
        n.put("eos_token_id", eosTokenId);
        n.put("tie_word_embeddings", true);
        n.put("torch_dtype", "float32");
        return n;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    /** Width of one attention head. */
    public int headWidth() {
        return family == null ? width / heads : family.headWidth(this);
    }

    /** Family fields for {@code model-info}: kvHeads, headWidth, rope settings, tiedHead. */
    public java.util.Map<String, Object> familyInfo() {
        if (family != null) {
            return family.info(this);
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kvHeads", heads);
        m.put("headWidth", headWidth());
        m.put("positions", "learned");
        m.put("tiedHead", true);
        return m;
    }

    /** Family settings in one line for {@code model-info}. */
    public String describeFamily() {
        return family == null ? "heads " + heads + ", learned positions, tied head" : family.describe(this);
    }
}
