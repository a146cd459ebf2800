package io.github.editunit.framework.mining;

import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.Expectation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mined cases as a suite in the extended flat format: the hardest first, each tagged with what was
 * measured ({@code hard} when it damaged the model, {@code knowledge-loss}, {@code ppl-ratio:1.23},
 * {@code canary-drop:0.12}, {@code denominator-ratio:0.43}, {@code update-norm:0.59}, {@code pre-check}),
 * and {@code "expect": "collapse"} where the perplexity bound was violated — the engine asserts that
 * collapse (a knowledge loss alone is tagged, not expected: the engine's expectation is about perplexity).
 */
public final class MinedSuite {

    private MinedSuite() {}

    /** The {@code top} hardest of {@code ranked} (all when {@code top} ≤ 0), tagged. */
    public static List<EditCase> of(List<MinedCase> ranked, int top) {
        List<EditCase> out = new ArrayList<>();
        for (MinedCase m : ranked.subList(0, top > 0 ? Math.min(top, ranked.size()) : ranked.size())) {
            EditCase c = m.editCase();
            Set<String> tags = new LinkedHashSet<>(c.tags());
            if (m.damaged()) {
                tags.add("hard");
            }
            if (m.knowledgeLost()) {
                tags.add("knowledge-loss");
            }
            if (m.flaggedByPreCheck()) {
                tags.add("pre-check");
            }
            tag(tags, "ppl-ratio", m.pplRatio());
            tag(tags, "canary-drop", m.canaryDrop());
            tag(tags, "denominator-ratio", m.denominatorRatio());
            tag(tags, "update-norm", m.relativeUpdateNorm());
            Expectation expect = m.collapsed() ? Expectation.COLLAPSE : c.expectation();
            out.add(new EditCase(c.caseId(), c.prompt(), c.subject(), c.targetNew(), c.groundTruth(), c.paraphrasePrompts(),
                    c.neighbours(), c.relation(), tags, expect, c.source()));
        }
        return out;
    }

    private static void tag(Set<String> tags, String name, double value) {
        if (Double.isFinite(value)) {
            tags.add(name + ":" + String.format(Locale.ROOT, "%.3g", value));
        }
    }
}
