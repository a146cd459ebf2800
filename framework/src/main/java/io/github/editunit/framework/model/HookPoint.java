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
        /** Input of the MLP down-projection: the ROME/MEMIT key {@code σ(W_in · LN(h))}. */
        MLP_KEY,
        /** Output of the whole MLP (down-projection including its bias). */
        MLP_OUTPUT,
        /** Output of the block, i.e. the residual stream after the block. */
        BLOCK_OUTPUT
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
