package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.Checks;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import java.util.Set;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** One check of a case (efficacy, generalisation, locality, non-collapse): a test. */
public final class CheckDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final CheckKind kind;
    private final Set<TestTag> tags;
    private final String legacyName;

    public CheckDescriptor(UniqueId id, CheckKind kind, String subjectLine, String legacyPrefix, Set<TestTag> tags,
            TestSource source) {
        super(id, kind.id() + " · " + subjectLine, source);
        this.kind = kind;
        this.tags = tags;
        this.legacyName = legacyPrefix + " · " + kind.id();
    }

    public CheckKind kind() {
        return kind;
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
    }

    /** Unique within a marker class: Surefire flattens the tree and reports this name. */
    @Override
    public String getLegacyReportingName() {
        return legacyName;
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
