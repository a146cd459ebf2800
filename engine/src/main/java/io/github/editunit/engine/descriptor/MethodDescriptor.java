package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.HardEditExecutionContext;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** One editing method of a suite (or {@code verify}). */
public final class MethodDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final String method;

    public MethodDescriptor(UniqueId id, String method, TestSource source) {
        super(id, method, source);
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
