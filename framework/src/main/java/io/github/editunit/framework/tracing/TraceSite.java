package io.github.editunit.framework.tracing;

import io.github.editunit.framework.model.HookPoint;

/** What causal tracing restores at one layer and position: the residual stream, the MLP's or the attention's output. */
public enum TraceSite {
    HIDDEN("hidden state"),
    MLP("MLP output"),
    ATTENTION("attention output");

    private final String label;

    TraceSite(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Lower-case name used in JSON and file names. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public HookPoint hook(int layer) {
        return switch (this) {
            case HIDDEN -> HookPoint.blockOutput(layer);
            case MLP -> HookPoint.mlpOutput(layer);
            case ATTENTION -> HookPoint.attentionOutput(layer);
        };
    }
}
