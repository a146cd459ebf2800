package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Optional;

/**
 * A decoder-only transformer family, described by the roles of its parts. Editors talk only
 * to this interface ({@link #mlpDownProjection(int)}, {@link HookPoint}s), so GPT-J or
 * Llama-style blocks are new implementations, not changes to editors.
 */
public interface Architecture {

    /** Family name, e.g. {@code gpt2}. */
    String name();

    ModelConfig config();

    default int layerCount() {
        return config().layers();
    }

    default int width() {
        return config().width();
    }

    default int innerWidth() {
        return config().innerWidth();
    }

    /** Throws unless {@code layer} is a block index of this model. */
    default void requireLayer(int layer) {
        if (layer < 0 || layer >= layerCount()) {
            throw new IndexOutOfBoundsException("layer " + layer + " outside 0.." + (layerCount() - 1));
        }
    }

    /** The MLP down-projection of a block: the matrix ROME and MEMIT edit (keys in, values out). */
    Projection mlpDownProjection(int layer);

    /** The MLP up-projection of a block (residual in, keys out, before the activation). */
    Projection mlpUpProjection(int layer);

    /** Name of the token embedding matrix {@code [vocab, width]}. */
    String tokenEmbedding();

    /** Every parameter the architecture needs, with its stored shape, in canonical names. */
    Map<String, Shape> parameterShapes();

    /**
     * Maps a checkpoint tensor name to the canonical name; empty when the tensor is known but
     * not needed (tied heads, cached attention masks). Unknown names return empty too and are
     * reported by the loader.
     */
    Optional<String> canonicalName(String checkpointName);

    /** Whether a checkpoint tensor is a known, deliberately ignored one (tied head, mask buffer). */
    boolean isIgnoredTensor(String checkpointName);

    /**
     * Runs the model: {@link #lmHead} of {@link #hiddenStates}.
     *
     * @param params the weights
     * @param ids token ids {@code [B, T]} (int64)
     * @param mask attention mask {@code [B, T]} (1 for tokens, 0 for padding)
     * @param hooks reads and injections
     * @return logits {@code [B, T, vocab]}
     */
    default NDArray forward(ParameterStore params, NDArray ids, NDArray mask, ForwardHooks hooks) {
        return lmHead(params, hiddenStates(params, ids, mask, hooks));
    }

    /**
     * The blocks and the final norm, without the LM head: {@code [B, T, width]} in the weights'
     * type. Callers that need only some positions' logits (perplexity scores {@code T − 1} of
     * them, none on padding) select rows here and apply {@link #lmHead} to those alone.
     */
    NDArray hiddenStates(ParameterStore params, NDArray ids, NDArray mask, ForwardHooks hooks);

    /**
     * The LM head on final hidden states {@code [..., width]}: logits {@code [..., vocab]} in
     * float32 whatever the weights' type, in {@code hidden}'s manager.
     */
    NDArray lmHead(ParameterStore params, NDArray hidden);

    /** Fills {@code params} with freshly initialised tensors (seeded, deterministic). */
    void initialize(ParameterStore params, long seed);
}
