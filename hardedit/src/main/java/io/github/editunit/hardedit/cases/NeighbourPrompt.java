package io.github.editunit.hardedit.cases;

import java.util.Objects;

/**
 * A locality (neighbourhood) prompt whose answer must not change when an edit is applied.
 *
 * @param prompt      the full prompt, subject filled in
 * @param groundTruth the answer the model should still give, without leading space
 */
public record NeighbourPrompt(String prompt, String groundTruth) {

    public NeighbourPrompt {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(groundTruth, "groundTruth");
    }
}
