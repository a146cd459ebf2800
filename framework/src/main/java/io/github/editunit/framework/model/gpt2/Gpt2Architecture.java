package io.github.editunit.framework.model.gpt2;

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
import io.github.editunit.framework.runtime.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2: learned positions, pre-LayerNorm blocks, GELU (tanh approximation), tied LM head,
 * Conv1D projections stored as {@code [in, out]}. Canonical names are the Hugging Face names
 * with the {@code transformer.} prefix; checkpoints without the prefix load too.
 */
public final class Gpt2Architecture implements Architecture {

    private static final String P = "transformer.";
    private static final Pattern IGNORED = Pattern.compile(
            "(transformer\\.)?h\\.\\d+\\.attn\\.(bias|masked_bias)|lm_head\\.weight");

    private final ModelConfig config;
    private final Map<String, Shape> shapes;

    public Gpt2Architecture(ModelConfig config) {
        this.config = config;
        this.shapes = buildShapes(config);
    }

    @Override
    public String name() {
        return "gpt2";
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
        String b = block(layer) + "mlp.c_proj.";
        return new Projection(b + "weight", b + "bias", MatrixLayout.IN_OUT, config.innerWidth(), config.width());
    }

    @Override
    public Projection mlpUpProjection(int layer) {
        requireLayer(layer);
        String b = block(layer) + "mlp.c_fc.";
        return new Projection(b + "weight", b + "bias", MatrixLayout.IN_OUT, config.width(), config.innerWidth());
    }

    @Override
    public String tokenEmbedding() {
        return P + "wte.weight";
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        return shapes;
    }

    private static Map<String, Shape> buildShapes(ModelConfig c) {
        Map<String, Shape> s = new LinkedHashMap<>();
        int d = c.width();
        s.put(P + "wte.weight", new Shape(c.vocabSize(), d));
        s.put(P + "wpe.weight", new Shape(c.contextLength(), d));
        for (int l = 0; l < c.layers(); l++) {
            String b = block(l);
            s.put(b + "ln_1.weight", new Shape(d));
            s.put(b + "ln_1.bias", new Shape(d));
            s.put(b + "attn.c_attn.weight", new Shape(d, 3L * d));
            s.put(b + "attn.c_attn.bias", new Shape(3L * d));
            s.put(b + "attn.c_proj.weight", new Shape(d, d));
            s.put(b + "attn.c_proj.bias", new Shape(d));
            s.put(b + "ln_2.weight", new Shape(d));
            s.put(b + "ln_2.bias", new Shape(d));
            s.put(b + "mlp.c_fc.weight", new Shape(d, c.innerWidth()));
            s.put(b + "mlp.c_fc.bias", new Shape(c.innerWidth()));
            s.put(b + "mlp.c_proj.weight", new Shape(c.innerWidth(), d));
            s.put(b + "mlp.c_proj.bias", new Shape(d));
        }
        s.put(P + "ln_f.weight", new Shape(d));
        s.put(P + "ln_f.bias", new Shape(d));
        return java.util.Collections.unmodifiableMap(s);
    }

    @Override
    public Optional<String> canonicalName(String checkpointName) {
        String n = checkpointName.startsWith(P) ? checkpointName : P + checkpointName;
        return shapes.containsKey(n) ? Optional.of(n) : Optional.empty();
    }

    @Override
    public boolean isIgnoredTensor(String checkpointName) {
        return IGNORED.matcher(checkpointName).matches();
    }

    @Override
    public NDArray hiddenStates(ParameterStore w, NDArray ids, NDArray mask, ForwardHooks hooks) {
        NDManager m = ids.getManager();
        DataType type = w.precision().dataType(); // activations' type; logits leave in float32
        Shape s = ids.getShape();
        long batch = s.get(0);
        long len = s.get(1);
        if (len > config.contextLength()) {
            throw new IllegalArgumentException("sequence of " + len + " tokens exceeds the context of "
                    + config.contextLength());
        }
        int d = config.width();
        int heads = config.heads();
        int hd = config.headWidth();

        NDArray positions = Blocks.positions(hooks, m, len);
        NDArray x = Blocks.hook(hooks, HookPoint.tokenEmbedding(), Blocks.take(w.get(P + "wte.weight"), ids, m))
                .add(Blocks.take(w.get(P + "wpe.weight"), positions, m));
        NDArray bias = Blocks.attentionBias(hooks, mask, len, m);
        double eps = config.layerNormEpsilon();
        NDArray scale = Scalars.of(m, (float) (1.0 / Math.sqrt(hd)), type);

        for (int l = 0; l < config.layers(); l++) {
            try (NDScope blockScope = Blocks.blockScope()) { // the block's temporaries go at its end
                String b = block(l);
                NDArray a = Blocks.layerNorm(x, w.get(b + "ln_1.weight"), w.get(b + "ln_1.bias"), eps);
                NDArray qkv = Blocks.linearInOut(a, w.get(b + "attn.c_attn.weight"), w.get(b + "attn.c_attn.bias"));
                NDArray q = Blocks.splitHeads(qkv.get(":, :, 0:" + d), batch, len, heads, hd);
                NDArray k = Blocks.attentionKeys(hooks, l,
                        Blocks.splitHeads(qkv.get(":, :, " + d + ":" + 2 * d), batch, len, heads, hd));
                NDArray v = Blocks.attentionValues(hooks, l,
                        Blocks.splitHeads(qkv.get(":, :, " + 2 * d + ":"), batch, len, heads, hd));
                NDArray attn = Blocks.attention(q, k, v, bias, scale);
                x = x.add(Blocks.hook(hooks, HookPoint.attentionOutput(l),
                        Blocks.linearInOut(attn, w.get(b + "attn.c_proj.weight"), w.get(b + "attn.c_proj.bias"))));

                NDArray h = Blocks.layerNorm(x, w.get(b + "ln_2.weight"), w.get(b + "ln_2.bias"), eps);
                NDArray key = Blocks.geluNew(Blocks.linearInOut(h, w.get(b + "mlp.c_fc.weight"), w.get(b + "mlp.c_fc.bias")));
                key = Blocks.hook(hooks, HookPoint.mlpKey(l), key);
                NDArray mlp = Blocks.linearInOut(key, w.get(b + "mlp.c_proj.weight"), w.get(b + "mlp.c_proj.bias"));
                mlp = Blocks.hook(hooks, HookPoint.mlpOutput(l), mlp);
                x = Blocks.hook(hooks, HookPoint.blockOutput(l), x.add(mlp));
                Blocks.keep(x);
            }
        }
        return Blocks.layerNorm(x, w.get(P + "ln_f.weight"), w.get(P + "ln_f.bias"), eps);
    }

    @Override
    public NDArray lmHead(ParameterStore w, NDArray hidden) {
        NDArray head = w.get(P + "wte.weight").transpose(); // tied embedding
        head.attach(hidden.getManager());
        return Blocks.cast(hidden.matMul(head), DataType.FLOAT32);
    }

    @Override
    public void initialize(ParameterStore params, long seed) {
        double projStd = 0.02 / Math.sqrt(2.0 * config.layers());
        Blocks.initialize(params, shapes, seed, n -> n.contains("ln_") && n.endsWith(".weight"),
                n -> n.endsWith("wpe.weight") ? 0.01 : n.endsWith("c_proj.weight") ? projStd : 0.02);
    }

    /** Layer index of a canonical block parameter, or -1. */
    public static int layerOf(String canonicalName) {
        Matcher mt = Pattern.compile("^transformer\\.h\\.(\\d+)\\.").matcher(canonicalName);
        return mt.find() ? Integer.parseInt(mt.group(1)) : -1;
    }
}
