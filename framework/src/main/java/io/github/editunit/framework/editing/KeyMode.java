package io.github.editunit.framework.editing;

import java.util.Locale;

/** Which keys ROME's rank-one update uses (see algorithms.md §1.6–1.7). */
public enum KeyMode {
    /**
     * ROME as released: template-averaged key k̄ in the direction {@code C⁻¹k̄}, the unprefixed
     * key {@code kᵘ} in the numerator {@code v* − Wkᵘ} and the denominator {@code (C⁻¹k̄)ᵀkᵘ}.
     * The denominator is not a quadratic form and can vanish: the collapse of "The Fall of ROME".
     */
    ORIGINAL("original", "rome"),
    /** C-ROME / r-ROME: the averaged key everywhere; denominator {@code k̄ᵀC⁻¹k̄ > 0}. */
    CONSISTENT("consistent", "c-rome"),
    /** p-ROME: the bare prompt's key everywhere. */
    PROMPT_ONLY("prompt-only", "p-rome");

    private final String configName;
    private final String method;

    KeyMode(String configName, String method) {
        this.configName = configName;
        this.method = method;
    }

    /** Name in hyperparameter files: original, consistent, prompt-only. */
    public String configName() {
        return configName;
    }

    /** Method name on the command line: rome, c-rome, p-rome. */
    public String method() {
        return method;
    }

    public static KeyMode parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        for (KeyMode m : values()) {
            if (m.configName.equals(n) || m.method.equals(n) || m.name().equalsIgnoreCase(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown ROME key mode \"" + s + "\" (original, consistent, prompt-only)");
    }
}
