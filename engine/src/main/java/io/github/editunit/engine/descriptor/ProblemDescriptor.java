package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.engine.execution.InvalidCaseFileException;
import io.github.editunit.hardedit.cases.CaseProblem;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A record (or file) the case reader rejected. Also reported as a discovery issue; as a test it
 * makes the run red with the reader's message (file:line:column, field) while other records run.
 */
public final class ProblemDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final CaseProblem problem;

    public ProblemDescriptor(UniqueId id, CaseProblem problem, TestSource source) {
        super(id, "invalid case record · " + problem, source);
        this.problem = problem;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public HardEditExecutionContext execute(HardEditExecutionContext context, DynamicTestExecutor dynamicTestExecutor) {
        throw new InvalidCaseFileException(problem.toString());
    }
}
