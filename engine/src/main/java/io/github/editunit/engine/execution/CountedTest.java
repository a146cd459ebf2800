package io.github.editunit.engine.execution;

import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A test node of the engine (a check, an invalid case record, an invalid configuration) whose
 * result the console summary counts, so that its counts are the ones the JUnit Platform (and
 * Surefire) report.
 */
public interface CountedTest extends Node<HardEditExecutionContext> {

    /** What the summary counts this test as. */
    ConsoleProgress.TestKind testKind();

    @Override
    default void nodeSkipped(HardEditExecutionContext context, TestDescriptor testDescriptor, SkipResult result) {
        if (context != null) {
            context.run().progress().testSkipped(testKind());
        }
    }

    @Override
    default void nodeFinished(HardEditExecutionContext context, TestDescriptor testDescriptor, TestExecutionResult result) {
        if (context != null) {
            context.run().progress().testFinished(testKind(), result.getStatus());
        }
    }
}
