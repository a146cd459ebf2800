package io.github.editunit.reports;

/**
 * Allure's {@code categories.json}: failures sorted by what went wrong. The regexes match the
 * first words of the engine's failure messages ({@link FailureKinds}).
 */
public final class Categories {

    private Categories() {}

    public static String json() {
        return """
                [
                  {"name": "Model collapse", "matchedStatuses": ["failed"], "messageRegex": "(?s).*(%s).*"},
                  {"name": "Edit not taken", "matchedStatuses": ["failed"], "messageRegex": "(?s).*(%s).*"},
                  {"name": "Locality broken", "matchedStatuses": ["failed"], "messageRegex": "(?s).*(%s).*"},
                  {"name": "Knowledge lost", "matchedStatuses": ["failed"], "messageRegex": "(?s).*(%s).*"},
                  {"name": "Infrastructure", "matchedStatuses": ["broken"]}
                ]
                """.formatted(FailureKinds.COLLAPSE, FailureKinds.NOT_TAKEN, FailureKinds.LOCALITY, FailureKinds.KNOWLEDGE_LOST);
    }
}
