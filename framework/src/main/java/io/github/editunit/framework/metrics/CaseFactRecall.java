package io.github.editunit.framework.metrics;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well an unedited model knows the cases' ground truths, on three prompt groups: the edit
 * prompts, the paraphrase prompts (both with the case's ground truth) and the neighbour prompts
 * (with the neighbours' ground truths). Cases without a ground truth contribute only neighbours.
 */
public final class CaseFactRecall {

    /** The three groups, in output order. */
    public static final List<String> GROUPS = List.of("edit", "paraphrase", "neighbour");

    private final FactRecall recall;
    private final boolean timings;

    public CaseFactRecall(LanguageModel model, int batchSize) {
        this(new FactRecall(model, batchSize), true);
    }

    private CaseFactRecall(FactRecall recall, boolean timings) {
        this.recall = recall;
        this.timings = timings;
    }

    /** The same measurement without a timing line per group on stderr (for callers that report it themselves). */
    public CaseFactRecall quiet() {
        return new CaseFactRecall(recall, false);
    }

    /** Results per group ({@link #GROUPS} order). */
    public Map<String, FactRecallResult> evaluate(List<EditCase> cases) {
        List<PromptTarget> edit = new ArrayList<>();
        List<PromptTarget> paraphrase = new ArrayList<>();
        List<PromptTarget> neighbour = new ArrayList<>();
        for (EditCase c : cases) {
            if (c.groundTruth() != null) {
                edit.add(new PromptTarget(c.prompt(), c.groundTruth()));
                for (String p : c.paraphrasePrompts()) {
                    paraphrase.add(new PromptTarget(p, c.groundTruth()));
                }
            }
            for (NeighbourPrompt n : c.neighbours()) {
                neighbour.add(new PromptTarget(n.prompt(), n.groundTruth()));
            }
        }
        Map<String, FactRecallResult> out = new LinkedHashMap<>();
        out.put("edit", timed("edit", edit));
        out.put("paraphrase", timed("paraphrase", paraphrase));
        out.put("neighbour", timed("neighbour", neighbour));
        return out;
    }

    private FactRecallResult timed(String name, List<PromptTarget> facts) {
        long t0 = System.nanoTime();
        FactRecallResult r = recall.evaluate(facts);
        if (!timings) {
            return r;
        }
        System.err.printf(Locale.ROOT, "[eval-facts] %s: %d prompt(s) in %.1fs%n", name, facts.size(),
                (System.nanoTime() - t0) / 1e9);
        return r;
    }
}
