package io.github.editunit.framework.model.gptj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.ConfigJson;
import io.github.editunit.framework.model.FamilySettings;
import io.github.editunit.framework.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The GPT-J keys of {@code config.json}.
 *
 * @param rotaryDim {@code rotary_dim}: leading dimensions of each head that are rotated
 * @param bosTokenId {@code bos_token_id}, or null
 */
public record GptjSettings(int rotaryDim, Integer bosTokenId) implements FamilySettings {

    public GptjSettings {
        if (rotaryDim <= 0 || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("config.json: invalid \"rotary_dim\" (must be even and positive): "
                    + rotaryDim);
        }
    }

    /** A GPT-J configuration (gelu_new, untied head with bias). */
    public static ModelConfig config(int vocab, int context, int width, int layers, int heads, int inner,
            double eps, int eosTokenId, int rotaryDim) {
        ModelConfig c = new ModelConfig("gptj", vocab, context, width, layers, heads, inner, eps, "gelu_new",
                eosTokenId, new GptjSettings(rotaryDim, null));
        check(c);
        return c;
    }

    private static void check(ModelConfig c) {
        if (c.width() % c.heads() != 0) {
            throw new IllegalArgumentException("config.json: \"n_head\" " + c.heads() + " must divide \"n_embd\" "
                    + c.width());
        }
        int rd = ((GptjSettings) c.family()).rotaryDim();
        if (rd > c.width() / c.heads()) {
            throw new IllegalArgumentException("config.json: \"rotary_dim\" " + rd + " exceeds the head width "
                    + c.width() / c.heads());
        }
    }

    /** Reads a gptj {@code config.json}. */
    public static ModelConfig read(Path file, JsonNode root) throws IOException {
        int width = ConfigJson.integer(file, root, "n_embd", "hidden_size");
        int heads = ConfigJson.integer(file, root, "n_head", "num_attention_heads");
        String act = ConfigJson.text(root, "activation_function", "gelu_new");
        if (!act.equals("gelu_new")) {
            throw new IOException(file + ": \"activation_function\": \"" + act
                    + "\" is not supported for gptj (supported: gelu_new)");
        }
        if (ConfigJson.bool(file, root, "tie_word_embeddings", false)) {
            throw new IOException(file + ": \"tie_word_embeddings\": true is not supported for gptj "
                    + "(GPT-J's lm_head is untied and has a bias)");
        }
        int vocab = ConfigJson.integer(file, root, "vocab_size");
        Integer inner = ConfigJson.optionalInteger(file, root, "n_inner");
        Integer rd = ConfigJson.optionalInteger(file, root, "rotary_dim");
        Integer eos = ConfigJson.optionalInteger(file, root, "eos_token_id");
        try {
            if (heads <= 0 || width % heads != 0) {
                throw new IllegalArgumentException("invalid \"n_head\" (must divide n_embd): " + heads);
            }
            ModelConfig c = new ModelConfig("gptj", vocab, ConfigJson.integer(file, root, "n_positions"), width,
                    ConfigJson.integer(file, root, "n_layer"), heads, inner == null ? 4 * width : inner,
                    ConfigJson.number(file, root, "layer_norm_epsilon", 1e-5), act, eos == null ? vocab - 1 : eos,
                    new GptjSettings(rd == null ? width / heads : rd,
                            ConfigJson.optionalInteger(file, root, "bos_token_id")));
            check(c);
            return c;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage().replace("config.json: ", ""), e);
        }
    }

    @Override
    public ObjectNode toJson(ModelConfig c) {
        ObjectNode n = ConfigJson.object();
        n.put("model_type", "gptj");
        n.putArray("architectures").add("GPTJForCausalLM");
        n.put("vocab_size", c.vocabSize());
        n.put("n_positions", c.contextLength());
        n.put("n_embd", c.width());
        n.put("n_layer", c.layers());
        n.put("n_head", c.heads());
        n.put("n_inner", c.innerWidth());
        n.put("rotary_dim", rotaryDim);
        n.put("layer_norm_epsilon", c.layerNormEpsilon());
        n.put("activation_function", c.activation());
        n.put("tie_word_embeddings", false);
        if (bosTokenId != null) {
            n.put("bos_token_id", bosTokenId);
        }
        n.put("eos_token_id", c.eosTokenId());
        n.put("torch_dtype", "float32");
        return n;
    }

    @Override
    public java.util.Map<String, Object> info(ModelConfig c) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kvHeads", c.heads());
        m.put("headWidth", c.width() / c.heads());
        m.put("positions", "rotary (interleaved)");
        m.put("rotaryDim", rotaryDim);
        m.put("ropeTheta", 10000.0);
        m.put("parallelBlock", true);
        m.put("tiedHead", false);
        return m;
    }

    @Override
    public String describe(ModelConfig c) {
        return "heads " + c.heads() + ", head width " + c.width() / c.heads() + ", rotary_dim " + rotaryDim
                + " (interleaved, theta 10000), parallel attention+MLP, untied head with bias";
    }
}
