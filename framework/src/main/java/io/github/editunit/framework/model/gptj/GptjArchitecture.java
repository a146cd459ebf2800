package io.github.editunit.framework.model.gptj;

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
 * GPT-J: one LayerNorm per block feeding attention and MLP in parallel
 * ({@code x + attn(ln_1 x) + mlp(ln_1 x)}), rotary embeddings on the first {@code rotary_dim}
 * dimensions of each head in the interleaved (rotate_every_two) layout, bias-free q/k/v/out
 * projections, {@code fc_out(gelu_new(fc_in x))}, untied LM head with bias. Weights are torch
 * Linear {@code [out, in]}.
 */
public final class GptjArchitecture implements Architecture {

    private static final String P = "transformer.";
    private static final Pattern IGNORED = Pattern.compile("(transformer\\.)?h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private final ModelConfig config;
    private final GptjSettings s;
    private final Map<String, Shape> shapes;
    private final double[] invFreq;

    public GptjArchitecture(ModelConfig config) {
        if (!(config.family() instanceof GptjSettings settings)) {
            throw new IllegalArgumentException("model_type \"gptj\" needs GPT-J settings (rotary_dim)");
        }
        this.config = config;
        this.s = settings;
        this.shapes = buildShapes();
        this.invFreq = Rotary.inverseFrequencies(10000.0, s.rotaryDim());
    }

    @Override
    public String name() {
        return "gptj";
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    static String block(int layer) {
        return P + "h." + layer + ".";
    }

    @Override
    public Projection mlpDownProjection(int layer) {
        requireLayer(layer);
        String b = block(layer) + "mlp.fc_out.";
        return new Projection(b + "weight", b + "bias", MatrixLayout.OUT_IN, config.innerWidth(), config.width());
    }

    @Override
    public Projection mlpUpProjection(int layer) {
        requireLayer(layer);
        String b = block(layer) + "mlp.fc_in.";
        return new Projection(b + "weight", b + "bias", MatrixLayout.OUT_IN, config.width(), config.innerWidth());
    }

    @Override
    public String tokenEmbedding() {
        return P + "wte.weight";
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return shapes;
    }

    private Map<String, Shape> buildShapes() {
        Map<String, Shape> m = new LinkedHashMap<>();
        int d = config.width();
        int inner = config.innerWidth();
        m.put(P + "wte.weight", new Shape(config.vocabSize(), d));
        for (int l = 0; l < config.layers(); l++) {
            String b = block(l);
            m.put(b + "ln_1.weight", new Shape(d));
            m.put(b + "ln_1.bias", new Shape(d));
            for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                m.put(b + "attn." + p + ".weight", new Shape(d, d));
            }
            m.put(b + "mlp.fc_in.weight", new Shape(inner, d));
            m.put(b + "mlp.fc_in.bias", new Shape(inner));
            m.put(b + "mlp.fc_out.weight", new Shape(d, inner));
            m.put(b + "mlp.fc_out.bias", new Shape(d));
        }
        m.put(P + "ln_f.weight", new Shape(d));
        m.put(P + "ln_f.bias", new Shape(d));
        m.put("lm_head.weight", new Shape(config.vocabSize(), d));
        m.put("lm_head.bias", new Shape(config.vocabSize()));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Optional<String> canonicalName(String checkpointName) {
        if (shapes.containsKey(checkpointName)) {
            return Optional.of(checkpointName);
        }
        String prefixed = P + checkpointName;
        return shapes.containsKey(prefixed) ? Optional.of(prefixed) : Optional.empty();
    }

    @Override
    public boolean isIgnoredTensor(String checkpointName) {
        return IGNORED.matcher(checkpointName).matches();
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
                    + config.contextLength() + " (n_positions)");
        }
        int heads = config.heads();
        int hd = config.width() / heads;
        double eps = config.layerNormEpsilon();

        NDArray x = Blocks.hook(hooks, HookPoint.tokenEmbedding(), Blocks.take(w.get(P + "wte.weight"), ids, m));
        NDArray bias = Blocks.attentionBias(hooks, mask, len, m);
        NDArray scale = Scalars.of(m, 1.0 / Math.sqrt(hd), type);
        Rotary rope = Rotary.forPass(hooks, m, invFreq, hd, len, Rotary.Layout.INTERLEAVED, type);

        for (int l = 0; l < config.layers(); l++) {
            try (NDScope blockScope = Blocks.blockScope()) { // the block's temporaries go at its end
                String b = block(l);
                String a = b + "attn.";
                NDArray h = Blocks.layerNorm(x, w.get(b + "ln_1.weight"), w.get(b + "ln_1.bias"), eps);
                NDArray q = rope.apply(Blocks.splitHeads(Blocks.linear(h, w.get(a + "q_proj.weight"), null),
                        batch, len, heads, hd));
                NDArray k = Blocks.attentionKeys(hooks, l, rope.apply(Blocks.splitHeads(
                        Blocks.linear(h, w.get(a + "k_proj.weight"), null), batch, len, heads, hd)));
                NDArray v = Blocks.attentionValues(hooks, l,
                        Blocks.splitHeads(Blocks.linear(h, w.get(a + "v_proj.weight"), null), batch, len, heads, hd));
                NDArray attn = Blocks.hook(hooks, HookPoint.attentionOutput(l),
                        Blocks.linear(Blocks.attention(q, k, v, bias, scale), w.get(a + "out_proj.weight"), null));

                String f = b + "mlp.";
                NDArray key = Blocks.geluNew(Blocks.linear(h, w.get(f + "fc_in.weight"), w.get(f + "fc_in.bias")));
                key = Blocks.hook(hooks, HookPoint.mlpKey(l), key);
                NDArray mlp = Blocks.linear(key, w.get(f + "fc_out.weight"), w.get(f + "fc_out.bias"));
                mlp = Blocks.hook(hooks, HookPoint.mlpOutput(l), mlp);
                x = Blocks.hook(hooks, HookPoint.blockOutput(l), x.add(attn).add(mlp));
                Blocks.keep(x);
            }
        }
        return Blocks.layerNorm(x, w.get(P + "ln_f.weight"), w.get(P + "ln_f.bias"), eps);
    }

    @Override
    public NDArray lmHead(ParameterStore w, NDArray hidden) {
        return Blocks.cast(Blocks.linear(hidden, w.get("lm_head.weight"), w.get("lm_head.bias")), DataType.FLOAT32);
    }

    @Override
    public void initialize(ParameterStore params, long seed) {
        Blocks.initialize(params, shapes, seed, n -> n.contains("ln_") && n.endsWith(".weight"), n -> 0.02);
    }
}
