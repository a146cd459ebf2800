package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.ConsoleProgress;
import io.github.editunit.engine.execution.CountedTest;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.engine.execution.InvalidCaseFileException;
import io.github.editunit.engine.execution.InvalidConfigurationException;
import io.github.editunit.hardedit.cases.CaseProblem;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * A record (or file) the case reader rejected, or a suite configuration that cannot work. Also
 * reported as a discovery issue; as a test it makes the run red with the message (file:line:column
 * and field, or the key or annotation attribute) while the other records and suites run.
 */
public final class ProblemDescriptor extends AbstractTestDescriptor implements CountedTest {

    /** What is wrong. */
    public enum Kind {
        CASE_RECORD("invalid case record"),
        CONFIGURATION("invalid configuration");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final CaseProblem problem;
    private final Kind kind;

    public ProblemDescriptor(UniqueId id, CaseProblem problem, TestSource source) {
        this(id, Kind.CASE_RECORD, problem, source);
    }

    public ProblemDescriptor(UniqueId id, Kind kind, CaseProblem problem, TestSource source) {
        super(id, kind.label() + " · " + problem, source);
        this.problem = problem;
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public ConsoleProgress.TestKind testKind() {
        return kind == Kind.CONFIGURATION ? ConsoleProgress.TestKind.INVALID_CONFIGURATION
                : ConsoleProgress.TestKind.INVALID_CASE_RECORD;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public HardEditExecutionContext execute(HardEditExecutionContext context, DynamicTestExecutor dynamicTestExecutor) {
        if (kind == Kind.CONFIGURATION) {
            throw new InvalidConfigurationException(problem.toString());
        }
        throw new InvalidCaseFileException(problem.toString());
    }
}
