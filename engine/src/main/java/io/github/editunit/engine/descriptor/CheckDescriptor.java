package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.Checks;
import io.github.editunit.engine.execution.ConsoleProgress;
import io.github.editunit.engine.execution.CountedTest;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import java.util.Set;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * One check of a case (efficacy, generalisation, locality, non-collapse): a test, named
 * {@code <check> · <case name>} so that it is unique within its marker class (Surefire reports a test with a
 * file source under its display name, in one flat list per class; two equal names would be folded into one
 * test with "Run 1 / Run 2"). Its legacy reporting name is the same name, so a check with a class source
 * (verify mode's model-level check) is reported by Surefire under the name the console and Allure show.
 */
public final class CheckDescriptor extends AbstractTestDescriptor implements CountedTest {

    /** What verify mode's model-level non-collapse check checks: the edited model as a whole. */
    public static final String EDITED_MODEL = "edited model [verify]";

    private final CheckKind kind;
    private final Set<TestTag> tags;

    /**
     * @param owner the name of what is checked: the case's display name, or {@code edited model [verify]}
     */
    public CheckDescriptor(UniqueId id, CheckKind kind, String owner, Set<TestTag> tags, TestSource source) {
        super(id, name(kind, owner), source);
        this.kind = kind;
        this.tags = tags;
    }

    /** The name of a check everywhere (test tree, console, Surefire, Allure). */
    public static String name(CheckKind kind, String owner) {
        return kind.id() + " · " + owner;
    }

    public CheckKind kind() {
        return kind;
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    /** The display name: unique within a marker class already (it names the case and the method). */
    @Override
    public String getLegacyReportingName() {
        return getDisplayName();
    }

    @Override
    public ConsoleProgress.TestKind testKind() {
        return ConsoleProgress.TestKind.CHECK;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public HardEditExecutionContext execute(HardEditExecutionContext context, DynamicTestExecutor dynamicTestExecutor)
            throws Exception {
        Checks.run(context, this);
        return context;
    }
}
