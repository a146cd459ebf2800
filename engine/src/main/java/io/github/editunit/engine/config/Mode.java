package io.github.editunit.engine.config;

import java.util.Locale;

/** How the cases of a suite are run. */
public enum Mode {
    /** Each case edited alone, checked, restored. */
    SINGLE,
    /** One sequence per case file: edits kept step after step, restored at the end. */
    SEQUENTIAL,
    /** Nothing applied: an edited model (directory or base + patches) is checked against the base. */
    VERIFY;

    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "': use single, sequential or verify", e);
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
