package io.github.editunit.framework.editing;

import java.util.Objects;

/**
 * One fact to write into the model: {@code prompt} (containing {@code subject} verbatim) should
 * be continued by {@code " " + targetNew}.
 *
 * @param id case id, for diagnostics
 * @param prompt the full edit prompt, e.g. "The mother tongue of Danielle Darrieux is"
 * @param subject the subject substring of the prompt
 * @param targetNew the new object, without a leading space
 * @param groundTruth the original object, or null when unknown
 */
public record EditRequest(String id, String prompt, String subject, String targetNew, String groundTruth) {

    public EditRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(targetNew, "targetNew");
        if (subject.isEmpty() || !prompt.contains(subject)) {
            throw new IllegalArgumentException("case " + id + ": subject \"" + subject
                    + "\" does not occur in prompt \"" + prompt + "\"");
        }
    }

    /** The prompt with the (first occurrence of the) subject replaced by {@code {}}. */
    public String template() {
        int at = prompt.indexOf(subject);
        return prompt.substring(0, at) + "{}" + prompt.substring(at + subject.length());
    }

    /** {@code context} is a template such as {@code "Some text. {}"}: fill it with the prompt. */
    public String inContext(String context) {
        return context.replace("{}", prompt);
    }

    /** Short description for messages: {@code 'subject' → target}. */
    public String describe() {
        return "'" + subject + "' → " + targetNew;
    }
}
