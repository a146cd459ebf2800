package io.github.editunit.hardedit.cases;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One knowledge-edit request with its evaluation prompts.
 *
 * @param caseId            id, unique within a file (numeric ids are kept as their decimal string)
 * @param prompt            full edit prompt; contains {@code subject} verbatim
 * @param subject           the subject substring of {@code prompt}
 * @param targetNew         the new object, without leading space
 * @param groundTruth       the original object, or {@code null} when unknown
 * @param paraphrasePrompts paraphrases of the prompt (generalisation), possibly empty
 * @param neighbours        locality prompts whose answers must not change, possibly empty
 * @param relation          relation id such as {@code P103}, or {@code null}
 * @param tags              free-form tags (relation id, {@code first-token}, ...), insertion-ordered
 * @param expectation       the expected outcome, or {@code null} when the file does not say
 * @param source            where the record was read from
 */
public record EditCase(
        String caseId,
        String prompt,
        String subject,
        String targetNew,
        String groundTruth,
        List<String> paraphrasePrompts,
        List<NeighbourPrompt> neighbours,
        String relation,
        Set<String> tags,
        Expectation expectation,
        CaseSource source) {

    /** Tag put on cases whose subject is the first token of the edit prompt. */
    public static final String FIRST_TOKEN_TAG = "first-token";

    public EditCase {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(targetNew, "targetNew");
        paraphrasePrompts = List.copyOf(paraphrasePrompts == null ? List.of() : paraphrasePrompts);
        neighbours = List.copyOf(neighbours == null ? List.of() : neighbours);
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags == null ? Set.of() : tags));
        Objects.requireNonNull(source, "source");
    }

    /** The prompt with the first occurrence of the subject replaced by {@code "{}"} (ROME's template). */
    public String template() {
        int at = prompt.indexOf(subject);
        if (at < 0 || subject.isEmpty()) {
            throw new IllegalStateException("subject \"" + subject + "\" does not occur in prompt \"" + prompt + "\"");
        }
        return prompt.substring(0, at) + "{}" + prompt.substring(at + subject.length());
    }

    /** True when the prompt starts with the subject (the word-level first-token proxy). */
    public boolean promptStartsWithSubject() {
        return !subject.isEmpty() && prompt.startsWith(subject);
    }

    /** True when {@code tags} contains {@code tag}. */
    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    /** A copy with another source. */
    public EditCase withSource(CaseSource newSource) {
        return new EditCase(caseId, prompt, subject, targetNew, groundTruth, paraphrasePrompts, neighbours,
                relation, tags, expectation, newSource);
    }
}
