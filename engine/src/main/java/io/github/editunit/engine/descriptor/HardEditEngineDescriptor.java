package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.HardEditExecutionContext;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** The engine's root: after every suite ran, models are closed and the summary and run files written. */
public final class HardEditEngineDescriptor extends EngineDescriptor implements Node<HardEditExecutionContext> {

    public HardEditEngineDescriptor(UniqueId uniqueId) {
        super(uniqueId, "EditUnit hardedit");
    }

    @Override
    public void after(HardEditExecutionContext context) {
        context.run().finish();
    }
}
