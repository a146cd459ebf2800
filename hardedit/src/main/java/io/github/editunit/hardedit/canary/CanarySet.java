package io.github.editunit.hardedit.canary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts a knowledge-retention check measures, with a name that says where they came from
 * ({@code "canaries.json"}, {@code "neighbourhood prompts of cases.json"}). Duplicate prompts are kept once (the first).
 *
 * @param name   what the set is, for messages and reports
 * @param facts  the facts, in order, never empty
 */
public record CanarySet(String name, List<CanaryFact> facts) {

    public CanarySet {
        Map<String, CanaryFact> byPrompt = new LinkedHashMap<>();
        for (CanaryFact f : facts) {
            byPrompt.putIfAbsent(f.prompt(), f);
        }
        facts = List.copyOf(byPrompt.values());
        if (facts.isEmpty()) {
            throw new IllegalArgumentException("canary set '" + name + "' has no facts");
        }
    }

    public int size() {
        return facts.size();
    }
}
