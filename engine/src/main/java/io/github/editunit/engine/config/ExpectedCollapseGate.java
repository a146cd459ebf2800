package io.github.editunit.engine.config;

import java.util.Locale;

/** See {@link Constants#GATE_EXPECTED_COLLAPSE}. */
public enum ExpectedCollapseGate {
    ASSERT, FAIL;

    public static ExpectedCollapseGate parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "assert" -> ASSERT;
            case "fail" -> FAIL;
            default -> throw new IllegalArgumentException(Constants.GATE_EXPECTED_COLLAPSE + " must be assert or fail, not '" + s + "'");
        };
    }
}
