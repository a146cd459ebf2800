package io.github.editunit.hardedit.canary;

import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.util.ArrayList;
import java.util.HashSet;
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
