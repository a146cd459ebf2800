package io.github.editunit.hardedit.canary;

import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import io.github.editunit.hardedit.world.Fact;
import io.github.editunit.hardedit.world.FactWorld;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Random;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Canary sets that are not read from a canary file. */
public final class CanarySources {

    private CanarySources() {}

    /**
     * The neighbourhood prompts of {@code cases} with their ground truths: facts about other subjects
     * that the edits must leave alone. A neighbour whose prompt mentions an edited subject, or whose
     * answer is an edit's new target for the same prompt, is left out: an edit may rightly change it.
     */
    public static CanarySet fromNeighbourhoods(List<EditCase> cases, String fileName) {
        Set<String> editedSubjects = new HashSet<>();
        for (EditCase c : cases) {
            editedSubjects.add(c.subject().toLowerCase(Locale.ROOT));
        }
        List<CanaryFact> facts = new ArrayList<>();
        for (EditCase c : cases) {
            for (NeighbourPrompt n : c.neighbours()) {
                if (n.groundTruth() == null || n.groundTruth().isBlank() || mentionsAny(n.prompt(), editedSubjects)) {
                    continue;
                }
                facts.add(new CanaryFact(n.prompt(), n.groundTruth().strip(),
                        "neighbour of case " + c.caseId() + " in " + fileName));
            }
        }
        return new CanarySet("neighbourhood prompts of " + fileName, facts);
    }

    /**
     * {@code n} facts of a fact world (a bundled model's {@code suites/facts.json}) whose subject none of
     * {@code cases} edits, each as its edit prompt and object: the facts are shuffled with a fixed
     * {@code seed} (as the collapse study draws its untouched facts) and the first {@code n} taken.
     */
    public static CanarySet fromFactWorld(FactWorld world, String worldName, List<EditCase> cases, int n, long seed) {
        Set<String> edited = new HashSet<>();
        cases.forEach(c -> edited.add(c.subject()));
        List<Fact> facts = new ArrayList<>(world.facts());
        Collections.shuffle(facts, new Random(seed));
        List<CanaryFact> out = new ArrayList<>();
        for (Fact f : facts) {
            if (out.size() == n) {
                break;
            }
            if (!edited.contains(f.subject())) {
                out.add(new CanaryFact(f.editPrompt(), f.object(), worldName + " fact " + f.id()));
            }
        }
        return new CanarySet("facts of " + worldName + " no case edits", out);
    }

    private static boolean mentionsAny(String prompt, Set<String> subjects) {
        String p = prompt.toLowerCase(Locale.ROOT);
        for (String s : subjects) {
            if (!s.isEmpty() && p.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
