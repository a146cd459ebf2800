package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.HardEditExecutionContext;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One editing method of a suite (or {@code verify}). It has no test source on purpose: Surefire names a
 * test's class after the nearest ancestor container with a {@code ClassSource}; with one here every check
 * would be reported under the class name {@code rome} instead of the marker class.
 */
public final class MethodDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final String method;

    public MethodDescriptor(UniqueId id, String method) {
        super(id, method);
        this.method = method;
    }

    public String method() {
        return method;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public HardEditExecutionContext prepare(HardEditExecutionContext context) {
        return context.withMethod(method);
    }
}
