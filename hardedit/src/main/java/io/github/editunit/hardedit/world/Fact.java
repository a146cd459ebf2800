package io.github.editunit.hardedit.world;

import java.util.List;
import java.util.Objects;

/**
 * One true fact of the world: {@code (subject, relation, object)} with its prompt templates.
 *
 * @param id               position in {@link FactWorld#facts()}; also the case id of suites built from it
 * @param subject          the subject's name
 * @param relation         relation id, e.g. {@code P103}
 * @param object           the true object
 * @param templates        all templates of the relation
 * @param editTemplate     the training template used as edit prompt
 * @param heldOutTemplate  the template that never appears in training text for this fact (paraphrase)
 */
public record Fact(int id, String subject, String relation, String object, List<String> templates,
                   String editTemplate, String heldOutTemplate) {

    public Fact {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(object, "object");
        templates = List.copyOf(templates);
        if (!templates.contains(editTemplate) || !templates.contains(heldOutTemplate)
                || editTemplate.equals(heldOutTemplate)) {
            throw new IllegalArgumentException("edit and held-out templates must be distinct templates of the relation");
        }
    }

    /** The templates used in training text: all but the held-out one. */
    public List<String> trainingTemplates() {
        return templates.stream().filter(t -> !t.equals(heldOutTemplate)).toList();
    }

    /** The template filled with the subject, e.g. "The mother tongue of Velmora is". */
    public String prompt(String template) {
        return Relation.fill(template, subject);
    }

    /** A training-style statement: prompt, space, object, full stop. */
    public String statement(String template) {
        return prompt(template) + " " + object + ".";
    }

    /** The edit prompt. */
    public String editPrompt() {
        return prompt(editTemplate);
    }

    /** The held-out (paraphrase) prompt. */
    public String heldOutPrompt() {
        return prompt(heldOutTemplate);
    }
}
