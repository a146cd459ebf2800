package io.github.editunit.framework.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.ConfigJson;
import io.github.editunit.framework.model.FamilySettings;
import io.github.editunit.framework.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Llama-family keys of {@code config.json} ({@code model_type} llama, mistral, qwen2).
 *
 * @param kvHeads {@code num_key_value_heads} (grouped-query attention)
 * @param headDim {@code head_dim}, or {@code hidden_size / num_attention_heads} when absent
 * @param ropeTheta {@code rope_theta}
 * @param ropeScaling {@code rope_scaling} / {@code rope_parameters}, or null for none
 * @param attentionBias {@code attention_bias}: bias on q, k, v and o
 * @param mlpBias {@code mlp_bias}: bias on gate, up and down
 * @param tieWordEmbeddings {@code tie_word_embeddings}
 * @param slidingWindow effective attention window (Mistral {@code sliding_window}; Qwen2 only with
 *     {@code use_sliding_window}), or null
 * @param bosTokenId {@code bos_token_id}, or null
 */
public record LlamaSettings(int kvHeads, int headDim, double ropeTheta, RopeScaling ropeScaling,
        boolean attentionBias, boolean mlpBias, boolean tieWordEmbeddings, Integer slidingWindow,
        Integer bosTokenId) implements FamilySettings {

    public LlamaSettings {
        if (kvHeads <= 0) {
            throw new IllegalArgumentException("config.json: invalid \"num_key_value_heads\": " + kvHeads);
        }
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("config.json: invalid \"head_dim\" (must be even): " + headDim);
        }
        if (slidingWindow != null && slidingWindow <= 0) {
            throw new IllegalArgumentException("config.json: invalid \"sliding_window\": " + slidingWindow);
        }
    }

    /** Settings with Llama defaults: no GQA, theta 10000, no scaling, no biases, untied. */
    public static LlamaSettings defaults(int heads, int headDim) {
        return new LlamaSettings(heads, headDim, 10000.0, null, false, false, false, null, null);
    }

    /** A Llama-family configuration (eps is {@code rms_norm_eps}). */
    public static ModelConfig config(String modelType, int vocab, int context, int width, int layers, int heads,
            int inner, double rmsNormEps, int eosTokenId, LlamaSettings settings) {
        ModelConfig c = new ModelConfig(modelType, vocab, context, width, layers, heads, inner, rmsNormEps, "silu",
                eosTokenId, settings);
        if (heads % settings.kvHeads() != 0) {
            throw new IllegalArgumentException("config.json: \"num_key_value_heads\" " + settings.kvHeads()
                    + " must divide \"num_attention_heads\" " + heads);
        }
        return c;
    }

    /** Whether q, k and v have biases ({@code attention_bias}, always for Qwen2). */
    public boolean qkvBias(ModelConfig core) {
        return attentionBias || core.modelType().equalsIgnoreCase("qwen2");
    }

    @Override
    public int headWidth(ModelConfig core) {
        return headDim;
    }

    /** Reads a llama / mistral / qwen2 {@code config.json}. */
    public static ModelConfig read(Path file, JsonNode root) throws IOException {
        String type = ConfigJson.text(root, "model_type", "llama").toLowerCase(Locale.ROOT);
        int width = ConfigJson.integer(file, root, "hidden_size");
        int heads = ConfigJson.integer(file, root, "num_attention_heads");
        if (heads <= 0) {
            throw new IOException(file + ": invalid \"num_attention_heads\": " + heads);
        }
        Integer kv = ConfigJson.optionalInteger(file, root, "num_key_value_heads");
        Integer hd = ConfigJson.optionalInteger(file, root, "head_dim");
        if (hd == null && width % heads != 0) {
            throw new IOException(file + ": \"num_attention_heads\" " + heads + " must divide \"hidden_size\" "
                    + width + " when \"head_dim\" is absent");
        }
        String act = ConfigJson.text(root, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new IOException(file + ": \"hidden_act\": \"" + act + "\" is not supported (supported: silu)");
        }
        double partial = ConfigJson.number(file, root, "partial_rotary_factor", 1.0);
        if (partial != 1.0) {
            throw new IOException(file + ": \"partial_rotary_factor\": " + partial + " is not supported (only 1.0)");
        }
        JsonNode params = root.get("rope_parameters");
        double theta;
        RopeScaling scaling;
        if (params != null && !params.isNull()) {
            theta = ConfigJson.number(file, params, "rope_theta", ConfigJson.number(file, root, "rope_theta", 10000));
            scaling = scaling(file, params, "rope_parameters");
        } else {
            theta = ConfigJson.number(file, root, "rope_theta", 10000);
            JsonNode s = root.get("rope_scaling");
            scaling = s == null || s.isNull() ? null : scaling(file, s, "rope_scaling");
        }
        Integer window = null;
        if (type.equals("mistral")) {
            window = ConfigJson.optionalInteger(file, root, "sliding_window");
        } else if (type.equals("qwen2") && ConfigJson.bool(file, root, "use_sliding_window", false)) {
            window = ConfigJson.optionalInteger(file, root, "sliding_window");
        }
        int vocab = ConfigJson.integer(file, root, "vocab_size");
        Integer eos = ConfigJson.optionalInteger(file, root, "eos_token_id");
        try {
            LlamaSettings settings = new LlamaSettings(kv == null ? heads : kv, hd == null ? width / heads : hd,
                    theta, scaling, ConfigJson.bool(file, root, "attention_bias", false),
                    ConfigJson.bool(file, root, "mlp_bias", false),
                    ConfigJson.bool(file, root, "tie_word_embeddings", false), window,
                    ConfigJson.optionalInteger(file, root, "bos_token_id"));
            return config(ConfigJson.text(root, "model_type", "llama"), vocab,
                    ConfigJson.integer(file, root, "max_position_embeddings"), width,
                    ConfigJson.integer(file, root, "num_hidden_layers"), heads,
                    ConfigJson.integer(file, root, "intermediate_size"),
                    ConfigJson.number(file, root, "rms_norm_eps", 1e-6), eos == null ? vocab - 1 : eos, settings);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage().replace("config.json: ", ""), e);
        }
    }

    private static RopeScaling scaling(Path file, JsonNode s, String key) throws IOException {
        String typeKey = s.has("rope_type") ? "rope_type" : "type";
        String type = ConfigJson.text(s, typeKey, "default");
        switch (type) {
            case "default":
                return null;
            case "linear":
                return RopeScaling.linear(required(file, s, key, "factor"));
            case "llama3":
                return RopeScaling.llama3(required(file, s, key, "factor"), required(file, s, key, "low_freq_factor"),
                        required(file, s, key, "high_freq_factor"),
                        (int) required(file, s, key, "original_max_position_embeddings"));
            default:
                throw new IOException(file + ": \"" + key + "." + typeKey + "\": \"" + type
                        + "\" is not supported (supported: default, linear, llama3)");
        }
    }

    private static double required(Path file, JsonNode s, String key, String field) throws IOException {
        JsonNode v = s.get(field);
        if (v == null || !v.isNumber()) {
            throw new IOException(file + ": \"" + key + "." + field + "\" is missing or not a number");
        }
        return v.asDouble();
    }

    @Override
    public ObjectNode toJson(ModelConfig c) {
        String type = c.modelType().toLowerCase(Locale.ROOT);
        ObjectNode n = ConfigJson.object();
        n.put("model_type", c.modelType());
        n.putArray("architectures").add(switch (type) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "LlamaForCausalLM";
        });
        n.put("vocab_size", c.vocabSize());
        n.put("max_position_embeddings", c.contextLength());
        n.put("hidden_size", c.width());
        n.put("num_hidden_layers", c.layers());
        n.put("num_attention_heads", c.heads());
        n.put("num_key_value_heads", kvHeads);
        n.put("head_dim", headDim);
        n.put("intermediate_size", c.innerWidth());
        n.put("rms_norm_eps", c.layerNormEpsilon());
        n.put("hidden_act", "silu");
        n.put("rope_theta", ropeTheta);
        if (ropeScaling == null) {
            n.putNull("rope_scaling");
        } else {
            ObjectNode s = n.putObject("rope_scaling");
            s.put("rope_type", ropeScaling.type());
            s.put("factor", ropeScaling.factor());
            if (ropeScaling.type().equals("llama3")) {
                s.put("low_freq_factor", ropeScaling.lowFreqFactor());
                s.put("high_freq_factor", ropeScaling.highFreqFactor());
                s.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
            }
        }
        n.put("attention_bias", attentionBias);
        n.put("mlp_bias", mlpBias);
        n.put("tie_word_embeddings", tieWordEmbeddings);
        if (type.equals("mistral")) {
            if (slidingWindow == null) {
                n.putNull("sliding_window");
            } else {
                n.put("sliding_window", slidingWindow);
            }
        } else if (type.equals("qwen2")) {
            n.put("use_sliding_window", slidingWindow != null);
            if (slidingWindow != null) {
                n.put("sliding_window", slidingWindow);
            }
        }
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
        m.put("kvHeads", kvHeads);
        m.put("headWidth", headDim);
        m.put("positions", "rotary (rotate_half)");
        m.put("ropeTheta", ropeTheta);
        m.put("ropeScaling", ropeScaling == null ? "none" : ropeScaling.type().equals("linear")
                ? "linear, factor " + ropeScaling.factor()
                : "llama3, factor " + ropeScaling.factor() + ", low_freq_factor " + ropeScaling.lowFreqFactor()
                        + ", high_freq_factor " + ropeScaling.highFreqFactor() + ", original_max_position_embeddings "
                        + ropeScaling.originalMaxPositionEmbeddings());
        m.put("qkvBias", qkvBias(c));
        m.put("outputBias", attentionBias);
        m.put("mlpBias", mlpBias);
        m.put("slidingWindow", slidingWindow);
        m.put("tiedHead", tieWordEmbeddings);
        return m;
    }

    @Override
    public String describe(ModelConfig c) {
        return "heads " + c.heads() + ", kv-heads " + kvHeads + ", head_dim " + headDim + ", rope_theta " + ropeTheta
                + ", rope_scaling " + (ropeScaling == null ? "none" : ropeScaling.type() + " ×" + ropeScaling.factor())
                + (qkvBias(c) ? ", q/k/v bias" : "") + (mlpBias ? ", mlp bias" : "")
                + (slidingWindow == null ? "" : ", sliding window " + slidingWindow)
                + (tieWordEmbeddings ? ", tied head" : ", untied head");
    }
}
