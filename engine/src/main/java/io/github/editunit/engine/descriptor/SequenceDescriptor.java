package io.github.editunit.engine.descriptor;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.engine.execution.SequenceRunner;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** A sequence (one case file in sequential mode): steps keep their edits; everything is restored in {@code after}. */
public final class SequenceDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final String fileName;

    public SequenceDescriptor(UniqueId id, String fileName, String method, TestSource source) {
        super(id, displayName(fileName, method), source);
        this.fileName = fileName;
    }

    /** {@code sequence <file> [method]}: distinct between the methods, like a case's name. */
    public static String displayName(String fileName, String method) {
        return "sequence " + fileName + " [" + method + "]";
    }

    public String fileName() {
        return fileName;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    /** Once the run was asked to stop (SIGINT, SIGTERM), cases that have not started are skipped. */
    @Override
    public SkipResult shouldBeSkipped(HardEditExecutionContext context) {
        return Interruption.isRequested() ? SkipResult.skip("run interrupted before this started")
                : SkipResult.doNotSkip();
    }

    @Override
    public HardEditExecutionContext before(HardEditExecutionContext context) throws Exception {
        return SequenceRunner.before(context, this);
    }

    @Override
    public void after(HardEditExecutionContext context) throws Exception {
        SequenceRunner.after(context, this);
    }
}
