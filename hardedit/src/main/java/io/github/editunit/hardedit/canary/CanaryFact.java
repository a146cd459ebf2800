package io.github.editunit.hardedit.canary;

import java.util.Objects;

/**
 * A fact the edits under test do not touch: a prompt and the object the model should still give.
 *
 * @param prompt the prompt, e.g. {@code "The mother tongue of Danielle Darrieux is"}
 * @param target the true object, without leading space, e.g. {@code "French"}
 * @param source where it came from ({@code file:line}, or {@code neighbour of case 12 in FILE})
 */
public record CanaryFact(String prompt, String target, String source) {

    public CanaryFact {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("canary prompt is blank (" + source + ")");
        }
        if (target.isBlank()) {
            throw new IllegalArgumentException("canary target is blank (" + source + ")");
        }
    }
}
