package io.github.editunit.framework.metrics;

import java.util.Objects;

/**
 * A prompt and a continuation to score after it. The target is tokenised as {@code " " + target}
 * (the target always gets a leading space, as in ROME/MEMIT/EasyEdit).
 *
 * @param prompt the full prompt (subject filled in)
 * @param target the object, without leading space
 */
public record PromptTarget(String prompt, String target) {

    public PromptTarget {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(target, "target");
    }
}
