package io.github.editunit.hardedit.world;

import java.util.List;
import java.util.Objects;

/**
 * A relation modelled on CounterFact.
 *
 * @param id        Wikidata-like property id, e.g. {@code P103}
 * @param name      human name, e.g. {@code native language}
 * @param templates CounterFact-style prompt templates with one {@code "{}"} for the subject; each ends
 *                  right before the object (which follows after a space)
 * @param objects   the possible objects (ordinary single English words)
 */
public record Relation(String id, String name, List<String> templates, List<String> objects) {

    public Relation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        templates = List.copyOf(templates);
        objects = List.copyOf(objects);
        for (String t : templates) {
            if (t.indexOf("{}") < 0 || t.indexOf("{}") != t.lastIndexOf("{}")) {
                throw new IllegalArgumentException(id + ": template must contain {} once: " + t);
            }
        }
    }

    /**
     * Fills a template with a subject. A possessive after a subject ending in "s" is written as a bare
     * apostrophe ("The Painted Lanterns' genre is"), so the subject still occurs verbatim.
     */
    public static String fill(String template, String subject) {
        if (subject.endsWith("s") && template.contains("{}'s")) {
            return template.replace("{}'s", subject + "'");
        }
        return template.replace("{}", subject);
    }
}
