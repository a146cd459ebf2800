package io.github.editunit.framework.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.model.Architecture;
import io.github.editunit.framework.model.Blocks;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.MatrixLayout;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.model.Rotary;
import io.github.editunit.framework.runtime.Scalars;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Llama-family decoder ({@code model_type} llama, mistral, qwen2): pre-RMSNorm blocks, rotary
 * embeddings in Hugging Face's rotate_half layout, grouped-query attention, SwiGLU MLP
 * {@code down(silu(gate x) · up x)}, torch Linear weights stored {@code [out, in]}. Canonical
 * names are the Hugging Face names ({@code model.layers.N....}, {@code lm_head.weight}).
 */
public final class LlamaArchitecture implements Architecture {

    private static final String P = "model.";
    private static final Pattern IGNORED = Pattern.compile("(model\\.)?layers\\.\\d+\\.self_attn\\.rotary_emb\\.inv_freq");

    private final ModelConfig config;
    private final LlamaSettings s;
    private final Map<String, Shape> shapes;
    private final double[] invFreq;

    public LlamaArchitecture(ModelConfig config) {
        if (!(config.family() instanceof LlamaSettings settings)) {
            throw new IllegalArgumentException("model_type \"" + config.modelType()
                    + "\" needs Llama settings (num_key_value_heads, rope_theta, ...)");
        }
        this.config = config;
        this.s = settings;
        if (config.heads() % s.kvHeads() != 0) {
            throw new IllegalArgumentException("config.json: \"num_key_value_heads\" " + s.kvHeads()
                    + " must divide \"num_attention_heads\" " + config.heads());
        }
        this.shapes = buildShapes();
        double[] f = Rotary.inverseFrequencies(s.ropeTheta(), s.headDim());
        this.invFreq = s.ropeScaling() == null ? f : s.ropeScaling().apply(f);
    }

    @Override
    public String name() {
        return config.modelType().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    public LlamaSettings settings() {
        return s;
    }

    static String block(int layer) {
        return P + "layers." + layer + ".";
    }

    @Override
    public Projection mlpDownProjection(int layer) {
        requireLayer(layer);
        String b = block(layer) + "mlp.down_proj.";
        return new Projection(b + "weight", s.mlpBias() ? b + "bias" : null, MatrixLayout.OUT_IN,
                config.innerWidth(), config.width());
    }

    @Override
    public Projection mlpUpProjection(int layer) {
        requireLayer(layer);
        String b = block(layer) + "mlp.up_proj.";
        return new Projection(b + "weight", s.mlpBias() ? b + "bias" : null, MatrixLayout.OUT_IN,
                config.width(), config.innerWidth());
    }

    @Override
    public String tokenEmbedding() {
        return P + "embed_tokens.weight";
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return shapes;
    }

    private Map<String, Shape> buildShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        int d = config.width();
        int inner = config.innerWidth();
        long q = (long) config.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        boolean qkvBias = s.qkvBias(config);
        m.put(P + "embed_tokens.weight", new Shape(config.vocabSize(), d));
        for (int l = 0; l < config.layers(); l++) {
            String b = block(l);
            m.put(b + "input_layernorm.weight", new Shape(d));
            linear(m, b + "self_attn.q_proj", q, d, qkvBias);
            linear(m, b + "self_attn.k_proj", kv, d, qkvBias);
            linear(m, b + "self_attn.v_proj", kv, d, qkvBias);
            linear(m, b + "self_attn.o_proj", d, q, s.attentionBias());
            m.put(b + "post_attention_layernorm.weight", new Shape(d));
            linear(m, b + "mlp.gate_proj", inner, d, s.mlpBias());
            linear(m, b + "mlp.up_proj", inner, d, s.mlpBias());
            linear(m, b + "mlp.down_proj", d, inner, s.mlpBias());
        }
        m.put(P + "norm.weight", new Shape(d));
        if (!s.tieWordEmbeddings()) {
            m.put("lm_head.weight", new Shape(config.vocabSize(), d));
        }
        return Collections.unmodifiableMap(m);
    }

    private static void linear(Map<String, Shape> m, String name, long out, long in, boolean bias) {
        m.put(name + ".weight", new Shape(out, in));
        if (bias) {
            m.put(name + ".bias", new Shape(out));
        }
    }

    @Override
    public Optional<String> canonicalName(String checkpointName) {
        if (shapes.containsKey(checkpointName)) {
            return Optional.of(checkpointName);
        }
        String prefixed = P + checkpointName;
        return shapes.containsKey(prefixed) && !checkpointName.startsWith("lm_head.") ? Optional.of(prefixed)
                : Optional.empty();
    }

    @Override
    public boolean isIgnoredTensor(String checkpointName) {
        return IGNORED.matcher(checkpointName).matches()
                || (s.tieWordEmbeddings() && checkpointName.equals("lm_head.weight"));
    }

    private static NDArray opt(ParameterStore w, String name) {
        return w.contains(name) ? w.get(name) : null;
    }

    @Override
    public NDArray hiddenStates(ParameterStore w, NDArray ids, NDArray mask, ForwardHooks hooks) {
        NDManager m = ids.getManager();
        DataType type = w.precision().dataType(); // activations' type; logits leave in float32
        Shape shape = ids.getShape();
        long batch = shape.get(0);
        long len = shape.get(1);
        if (len > config.contextLength()) {
            throw new IllegalArgumentException("sequence of " + len + " tokens exceeds the context of "
                    + config.contextLength() + " (max_position_embeddings)");
        }
        if (s.slidingWindow() != null && len > s.slidingWindow()) {
            throw new IllegalArgumentException("sequence of " + len + " tokens exceeds the sliding window of "
                    + s.slidingWindow() + " tokens (config.json \"sliding_window\"); sliding-window attention is "
                    + "not implemented, so longer sequences are refused rather than computed differently");
        }
        int heads = config.heads();
        int kvHeads = s.kvHeads();
        int hd = s.headDim();
        double eps = config.layerNormEpsilon();

        NDArray x = Blocks.hook(hooks, HookPoint.tokenEmbedding(), Blocks.take(w.get(P + "embed_tokens.weight"), ids, m));
        NDArray bias = Blocks.attentionBias(hooks, mask, len, m);
        NDArray scale = Scalars.of(m, 1.0 / Math.sqrt(hd), type);
        Rotary rope = Rotary.forPass(hooks, m, invFreq, hd, len, Rotary.Layout.ROTATE_HALF, type);

        for (int l = 0; l < config.layers(); l++) {
            try (NDScope blockScope = Blocks.blockScope()) { // the block's temporaries go at its end
                String b = block(l);
                String a = b + "self_attn.";
                NDArray h = Blocks.rmsNorm(x, w.get(b + "input_layernorm.weight"), eps);
                NDArray q = Blocks.splitHeads(Blocks.linear(h, w.get(a + "q_proj.weight"), opt(w, a + "q_proj.bias")),
                        batch, len, heads, hd);
                NDArray k = Blocks.splitHeads(Blocks.linear(h, w.get(a + "k_proj.weight"), opt(w, a + "k_proj.bias")),
                        batch, len, kvHeads, hd);
                NDArray v = Blocks.splitHeads(Blocks.linear(h, w.get(a + "v_proj.weight"), opt(w, a + "v_proj.bias")),
                        batch, len, kvHeads, hd);
                q = rope.apply(q);
                k = Blocks.attentionKeys(hooks, l, rope.apply(k));
                v = Blocks.attentionValues(hooks, l, v);
                NDArray attn = Blocks.attention(q, Blocks.repeatKv(k, heads), Blocks.repeatKv(v, heads), bias, scale);
                x = x.add(Blocks.hook(hooks, HookPoint.attentionOutput(l),
                        Blocks.linear(attn, w.get(a + "o_proj.weight"), opt(w, a + "o_proj.bias"))));

                String f = b + "mlp.";
                NDArray g = Blocks.rmsNorm(x, w.get(b + "post_attention_layernorm.weight"), eps);
                NDArray gate = Blocks.linear(g, w.get(f + "gate_proj.weight"), opt(w, f + "gate_proj.bias"));
                NDArray up = Blocks.linear(g, w.get(f + "up_proj.weight"), opt(w, f + "up_proj.bias"));
                NDArray key = Blocks.hook(hooks, HookPoint.mlpKey(l), Blocks.silu(gate).mul(up));
                NDArray mlp = Blocks.linear(key, w.get(f + "down_proj.weight"), opt(w, f + "down_proj.bias"));
                mlp = Blocks.hook(hooks, HookPoint.mlpOutput(l), mlp);
                x = Blocks.hook(hooks, HookPoint.blockOutput(l), x.add(mlp));
                Blocks.keep(x);
            }
        }
        return Blocks.rmsNorm(x, w.get(P + "norm.weight"), eps);
    }

    @Override
    public NDArray lmHead(ParameterStore w, NDArray hidden) {
        NDArray head = w.get(s.tieWordEmbeddings() ? P + "embed_tokens.weight" : "lm_head.weight").transpose();
        head.attach(hidden.getManager());
        return Blocks.cast(hidden.matMul(head), DataType.FLOAT32);
    }

    @Override
    public void initialize(ParameterStore params, long seed) {
        Blocks.initialize(params, shapes, seed, n -> n.endsWith("norm.weight"), n -> 0.02);
    }
}
