package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.framework.runtime.Interruption;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * The engine's root: after every suite ran, models are closed and the summary and run files
 * written. The whole run is an {@link Interruption} guard: on SIGINT/SIGTERM (or Surefire's
 * {@code System.exit}) the JVM waits until the case in progress stops at its next value-search or
 * fine-tuning step and has restored the weights, and until the models are closed; cases not yet
 * started are skipped. libtorch is never torn down under a running native call.
 */
public final class HardEditEngineDescriptor extends EngineDescriptor implements Node<HardEditExecutionContext> {

    private Interruption.Guard guard;

    public HardEditEngineDescriptor(UniqueId uniqueId) {
        super(uniqueId, "EditUnit hardedit");
    }

    @Override
    public HardEditExecutionContext before(HardEditExecutionContext context) {
        guard = Interruption.enter();
        return context;
    }

    @Override
    public void after(HardEditExecutionContext context) {
        try {
            context.run().finish();
        } finally {
            if (guard != null) {
                guard.close();
            }
        }
    }
}
