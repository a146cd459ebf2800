package io.github.editunit.framework.model;

/**
 * A place in the forward pass where activations can be read or a delta added.
 *
 * @param site what the activation is
 * @param layer 0-based block index
 */
public record HookPoint(Site site, int layer) {

    /** The activations an architecture exposes. */
    public enum Site {
        /**
         * The token embeddings looked up for the input ids, before position embeddings are added (GPT-2) or
         * the first block runs; always layer 0. Causal tracing corrupts the subject here.
         */
        TOKEN_EMBEDDING,
        /** Output of the attention sub-block (after its output projection, including its bias), before the residual add. */
        ATTENTION_OUTPUT,
        /** Input of the MLP down-projection: the ROME/MEMIT key {@code σ(W_in · LN(h))}. */
        MLP_KEY,
        /** Output of the whole MLP (down-projection including its bias). */
        MLP_OUTPUT,
        /** Output of the block, i.e. the residual stream after the block. */
        BLOCK_OUTPUT
    }

    public static HookPoint tokenEmbedding() {
        return new HookPoint(Site.TOKEN_EMBEDDING, 0);
    }

    public static HookPoint attentionOutput(int layer) {
        return new HookPoint(Site.ATTENTION_OUTPUT, layer);
    }

    public static HookPoint mlpKey(int layer) {
        return new HookPoint(Site.MLP_KEY, layer);
    }

    public static HookPoint mlpOutput(int layer) {
        return new HookPoint(Site.MLP_OUTPUT, layer);
    }

    public static HookPoint blockOutput(int layer) {
        return new HookPoint(Site.BLOCK_OUTPUT, layer);
    }

    @Override
    public String toString() {
        return site.name().toLowerCase(java.util.Locale.ROOT) + "@" + layer;
    }
}
