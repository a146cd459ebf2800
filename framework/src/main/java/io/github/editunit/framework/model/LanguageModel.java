package io.github.editunit.framework.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * A causal language model: an {@link Architecture}, its {@link ParameterStore} and a
 * tokenizer. Every convenience method scopes its native memory to the call, so repeated calls
 * do not grow the process.
 */
public final class LanguageModel implements AutoCloseable {

    private final Architecture architecture;
    private final ParameterStore parameters;
    private final TokenCodec tokenizer;

    public LanguageModel(Architecture architecture, ParameterStore parameters, TokenCodec tokenizer) {
        this.architecture = architecture;
        this.parameters = parameters;
        this.tokenizer = tokenizer;
    }

    /** A freshly initialised model (no file needed), e.g. GPT-2 small for benchmarks. */
    public static LanguageModel random(ModelConfig config, long seed, TokenCodec tokenizer, Device device) {
        return random(config, seed, tokenizer, device, Precision.FLOAT32);
    }

    /**
     * A freshly initialised model whose weights are kept in {@code precision} (initialised in
     * float32, then rounded).
     */
    public static LanguageModel random(ModelConfig config, long seed, TokenCodec tokenizer, Device device,
            Precision precision) {
        DjlRuntime.prepare();
        PrecisionSupport.require(precision, device);
        Architecture arch = Architectures.forConfig(config);
        ParameterStore store = new ParameterStore(NDManager.newBaseManager(device), precision);
        arch.initialize(store, seed);
        return new LanguageModel(arch, store, tokenizer);
    }

    public Architecture architecture() {
        return architecture;
    }

    public ModelConfig config() {
        return architecture.config();
    }

    public ParameterStore parameters() {
        return parameters;
    }

    public TokenCodec tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("this model has no tokenizer");
        }
        return tokenizer;
    }

    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /** The type the weights are kept and the forward computes in; logits are always float32. */
    public Precision precision() {
        return parameters.precision();
    }

    public Device device() {
        return parameters.manager().getDevice();
    }

    /** A child manager on the model's device for one unit of work; close it when done. */
    public NDManager newScope() {
        return parameters.manager().newSubManager();
    }

    /** Builds a right-padded batch (padding with the end-of-text id) in {@code scope}. */
    public TokenBatch batch(NDManager scope, List<int[]> sequences) {
        return TokenBatch.of(scope, sequences, padId());
    }

    /** The pad id of this model's batches. */
    int padId() {
        return tokenizer != null ? tokenizer.eosId() : config().eosTokenId();
    }

    /** Logits {@code [B, T, vocab]}, float32 whatever the weights' precision, in the batch's manager. */
    public NDArray logits(TokenBatch batch, ForwardHooks hooks) {
        return architecture.forward(parameters, batch.ids(), batch.mask(), hooks);
    }

    /**
     * Runs the blocks for the hooks' reads only, with gradient recording off ({@link Inference#withoutGradients}) and
     * never the LM head: the pass ends at the hooks' {@link ForwardHooks#stopAfter} point, or after the final norm
     * when none is set. Read the activations with {@link ForwardHooks#captured}; they live in the batch's manager.
     *
     * @throws IllegalStateException if a stop point is set and the pass never reached it (a family that does not
     *     expose that hook point would otherwise run to the end and leave nothing captured)
     */
    public void activations(TokenBatch batch, ForwardHooks hooks) {
        hooks.rearmStop();
        Inference.withoutGradients(() -> {
            try {
                architecture.hiddenStates(parameters, batch.ids(), batch.mask(), hooks);
            } catch (ForwardHooks.Stop stop) {
                if (!stop.from(hooks)) {
                    throw stop;
                }
            }
            if (hooks.stopPoint() != null && !hooks.stopped()) {
                throw new IllegalStateException(architecture.name() + " forward ended without reaching "
                        + hooks.stopPoint());
            }
            return null;
        });
    }

    /**
     * For each sequence, {@code log P(x_t | x_<t)} for {@code t = 1 .. T-1} (no BOS is added: the
     * first token is context only). Non-finite values are returned as they are. Only the scored
     * positions go through the LM head ({@link TokenLogProbs#gathered}).
     */
    public List<float[]> tokenLogProbs(List<int[]> sequences) {
        return ForwardPath.reference() ? TokenLogProbs.reference(this, sequences)
                : TokenLogProbs.gathered(this, sequences);
    }

    /**
     * As {@link #tokenLogProbs}, with the sequences packed several to a row as {@code rows} lists them (indices into
     * {@code sequences}; {@link PackedBatch#layout}): the same values up to float rounding, with fewer padded
     * positions. The reference forward ({@code -Deditunit.forward=reference}) runs one sequence per row as before.
     */
    public List<float[]> tokenLogProbs(List<int[]> sequences, List<List<Integer>> rows) {
        return ForwardPath.reference() ? TokenLogProbs.reference(this, sequences)
                : TokenLogProbs.packed(this, PackedBatch.of(sequences, rows));
    }

    /** Log-probabilities of the next token after {@code prefix} (length vocab). */
    public float[] nextTokenLogProbs(int[] prefix) {
        return nextTokenLogProbs(List.of(prefix)).get(0);
    }

    /** Next-token log-probabilities after each prefix, batched. */
    public List<float[]> nextTokenLogProbs(List<int[]> prefixes) {
        return Inference.withoutGradients(() -> nextTokenLogProbsNoGrad(prefixes));
    }

    /** Only each prefix's last hidden row goes through the LM head. */
    private List<float[]> nextTokenLogProbsNoGrad(List<int[]> prefixes) {
        try (NDManager scope = newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch batch = batch(scope, prefixes);
            int[] b = new int[prefixes.size()];
            int[] p = new int[prefixes.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = i;
                p[i] = batch.lengths()[i] - 1;
            }
            NDArray last = ForwardHooks.gatherRows(
                    architecture.hiddenStates(parameters, batch.ids(), batch.mask(), ForwardHooks.none()), b, p);
            float[] flat = architecture.lmHead(parameters, last).logSoftmax(-1).toFloatArray();
            int v = config().vocabSize();
            List<float[]> out = new ArrayList<>(b.length);
            for (int i = 0; i < b.length; i++) {
                float[] row = new float[v];
                System.arraycopy(flat, i * v, row, 0, v);
                out.add(row);
            }
            return out;
        }
    }

    @Override
    public void close() {
        parameters.close();
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the tokenizer failed", e);
            }
        }
    }
}
