package io.github.editunit.hardedit.cases;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.editunit.hardedit.cases.CaseJsonKeys.CASE_ID;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.LOCALITY_GROUND_TRUTH;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.LOCALITY_PROMPT;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.PROMPT;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.REPHRASE_PROMPT;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.SUBJECT;
import static io.github.editunit.hardedit.cases.CaseJsonKeys.TARGET_NEW;

/**
 * Semantic checks of edit cases.
 *
 * <p>Errors: blank prompt, subject or target; subject not occurring verbatim in the prompt; braces in
 * prompt or subject (ROME formats the template with {@code str.format}); blank paraphrase or
 * neighbour prompts; duplicate case ids; every neighbour's ground truth equal to the new target (the
 * locality check cannot pass). Warnings: target equal to ground truth, surrounding whitespace in
 * target or prompt, subject occurring more than once, a neighbour mentioning the edited subject.
 */
public final class CaseValidator {

    /** Checks one case; positions come from {@link EditCase#source()}. */
    public List<CaseProblem> validate(EditCase c, int recordIndex) {
        return validate(c, recordIndex, FieldLocator.of(c));
    }

    /** Checks every case and that case ids are unique. Record numbers are 1-based list positions. */
    public List<CaseProblem> validateAll(List<EditCase> cases) {
        List<CaseProblem> out = new ArrayList<>();
        DuplicateIds ids = new DuplicateIds();
        for (int i = 0; i < cases.size(); i++) {
            EditCase c = cases.get(i);
            out.addAll(validate(c, i + 1));
            CaseProblem dup = ids.check(c, i + 1, FieldLocator.of(c));
            if (dup != null) {
                out.add(dup);
            }
        }
        return out;
    }

    List<CaseProblem> validate(EditCase c, int recordIndex, FieldLocator at) {
        Report r = new Report(c, recordIndex, at);
        boolean promptOk = notBlank(r, PROMPT, c.prompt());
        boolean subjectOk = notBlank(r, SUBJECT, c.subject());
        notBlank(r, TARGET_NEW, c.targetNew());
        if (promptOk && hasBrace(c.prompt())) {
            r.error(PROMPT, ": \"" + c.prompt() + "\" contains a brace ('{' or '}'), which breaks ROME's"
                    + " template formatting (the subject slot is \"{}\")");
        }
        if (subjectOk && hasBrace(c.subject())) {
            r.error(SUBJECT, ": \"" + c.subject() + "\" contains a brace ('{' or '}')");
        }
        if (promptOk && subjectOk) {
            int first = c.prompt().indexOf(c.subject());
            if (first < 0) {
                r.error(SUBJECT, ": \"" + c.subject() + "\" does not occur in prompt \"" + c.prompt() + "\"");
            } else if (c.prompt().indexOf(c.subject(), first + 1) >= 0) {
                r.warning(SUBJECT, ": \"" + c.subject() + "\" occurs more than once in prompt \"" + c.prompt()
                        + "\"; the template uses the first occurrence");
            }
        }
        if (!c.targetNew().isBlank() && !c.targetNew().equals(c.targetNew().strip())) {
            r.warning(TARGET_NEW, "has leading or trailing whitespace; the editor adds the leading space itself");
        }
        if (promptOk && !c.prompt().equals(c.prompt().strip())) {
            r.warning(PROMPT, "has leading or trailing whitespace");
        }
        if (c.groundTruth() != null && c.groundTruth().strip().equals(c.targetNew().strip())
                && !c.targetNew().isBlank()) {
            r.warning(TARGET_NEW, ": \"" + c.targetNew() + "\" equals ground_truth; the edit changes nothing");
        }
        for (String p : c.paraphrasePrompts()) {
            notBlank(r, REPHRASE_PROMPT, p);
        }
        NeighbourPrompt sameAsTarget = null;
        int sameAsTargetCount = 0;
        for (NeighbourPrompt n : c.neighbours()) {
            boolean ok = notBlank(r, LOCALITY_PROMPT, n.prompt());
            boolean truthOk = notBlank(r, LOCALITY_GROUND_TRUTH, n.groundTruth());
            if (ok && subjectOk && n.prompt().contains(c.subject())) {
                r.warning(LOCALITY_PROMPT, ": \"" + n.prompt() + "\" mentions the edited subject \""
                        + c.subject() + "\"");
            }
            if (truthOk && !c.targetNew().isBlank() && n.groundTruth().strip().equals(c.targetNew().strip())) {
                sameAsTargetCount++;
                sameAsTarget = sameAsTarget == null ? n : sameAsTarget;
            }
        }
        if (sameAsTarget != null && sameAsTargetCount == c.neighbours().size()) {
            // locality compares P(ground truth) with P(target_new) on each neighbour prompt and needs the first
            // strictly larger: a neighbour answering the new target always counts as changed
            int all = c.neighbours().size();
            r.error(at.neighbourTruthField(sameAsTarget.groundTruth()), ": \"" + sameAsTarget.groundTruth()
                    + "\" (neighbour prompt \"" + sameAsTarget.prompt() + "\") equals target_new"
                    + (all == 1 ? "" : ", as do the ground truths of all " + all + " neighbours")
                    + "; locality compares P(ground truth) with P(target_new) on the neighbour prompt,"
                    + " so the locality check cannot pass");
        }
        return r.problems;
    }

    private static boolean notBlank(Report r, String field, String value) {
        if (value == null || value.isBlank()) {
            r.error(field, "is blank");
            return false;
        }
        return true;
    }

    private static boolean hasBrace(String s) {
        return s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
    }

    /** Remembers case ids seen so far and reports repeats. */
    static final class DuplicateIds {
        private final Map<String, CaseSource> firstSeen = new HashMap<>();
        private final Map<String, Integer> firstIndex = new HashMap<>();

        /** Returns an error when the case's id was seen before, else null (and remembers it). */
        CaseProblem check(EditCase c, int recordIndex, FieldLocator at) {
            CaseSource earlier = firstSeen.get(c.caseId());
            if (earlier == null) {
                firstSeen.put(c.caseId(), c.source());
                firstIndex.put(c.caseId(), recordIndex);
                return null;
            }
            CaseSource here = at.source(CASE_ID);
            String where = earlier.line() > 0 ? " (line " + earlier.line() + ")" : "";
            return new CaseProblem(CaseProblem.Severity.ERROR, here.file(), here.line(), here.column(), recordIndex,
                    c.caseId(), at.path(CASE_ID), ": duplicate id " + c.caseId() + ", already used by record #"
                    + firstIndex.get(c.caseId()) + where);
        }
    }

    private static final class Report {
        final EditCase c;
        final int index;
        final FieldLocator at;
        final List<CaseProblem> problems = new ArrayList<>();

        Report(EditCase c, int index, FieldLocator at) {
            this.c = c;
            this.index = index;
            this.at = at;
        }

        void error(String field, String message) {
            add(CaseProblem.Severity.ERROR, field, message);
        }

        void warning(String field, String message) {
            add(CaseProblem.Severity.WARNING, field, message);
        }

        private void add(CaseProblem.Severity severity, String field, String message) {
            CaseSource s = at.source(field);
            problems.add(new CaseProblem(severity, s.file(), s.line(), s.column(), index, c.caseId(),
                    at.path(field), message));
        }
    }
}
