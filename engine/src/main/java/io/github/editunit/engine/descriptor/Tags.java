package io.github.editunit.engine.descriptor;

import io.github.editunit.hardedit.cases.EditCase;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.platform.engine.TestTag;

/** JUnit tags of a case: relation, {@code first-token}, method and the data's tags (made valid). */
public final class Tags {

    private Tags() {}

    public static Set<TestTag> of(EditCase c, String method) {
        Set<String> names = new LinkedHashSet<>();
        if (c.relation() != null) {
            names.add(c.relation());
        }
        if (c.promptStartsWithSubject() || c.hasTag(EditCase.FIRST_TOKEN_TAG)) {
            names.add(EditCase.FIRST_TOKEN_TAG);
        }
        names.add(method);
        names.addAll(c.tags());
        if (c.expectation() != null) {
            names.add("expect-" + c.expectation().jsonValue());
        }
        Set<TestTag> tags = new LinkedHashSet<>();
        for (String n : names) {
            String t = n.trim().replaceAll("[\\s,()&|!]+", "_");
            if (TestTag.isValid(t)) {
                tags.add(TestTag.create(t));
            }
        }
        return tags;
    }
}
