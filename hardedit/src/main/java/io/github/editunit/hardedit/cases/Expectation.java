package io.github.editunit.hardedit.cases;

import java.util.Locale;
import java.util.Optional;

/** What a case file says should happen when the edit is applied (the optional {@code "expect"} field). */
public enum Expectation {
    /** The edit is expected to collapse the model (e.g. a first-token subject under ROME). */
    COLLAPSE,
    /** The edit is expected to succeed without collapse. */
    PASS;

    /** The JSON spelling: {@code "collapse"} or {@code "pass"}. */
    public String jsonValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the JSON spelling (case-insensitive); empty for anything else. */
    public static Optional<Expectation> fromJson(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Expectation e : values()) {
            if (e.jsonValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
