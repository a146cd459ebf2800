package io.github.editunit.engine.descriptor;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.engine.execution.CaseRunner;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One edit case: a container whose {@code before} applies (or, in verify mode, looks up) the
 * edit and measures it, whose children are the checks, and whose {@code after} restores the
 * weights and verifies the hash. In a sequence it is a step: the edit is kept.
 */
public final class CaseDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    /** What {@code before}/{@code after} do. */
    public enum Role { SINGLE, STEP, VERIFY }

    private final EditCase editCase;
    private final String fileName;
    private final Role role;
    private final List<EditCase> fileCases;
    private final Set<TestTag> tags;

    public CaseDescriptor(UniqueId id, EditCase editCase, String fileName, Role role, String method, TestSource source) {
        this(id, editCase, fileName, role, method, source, List.of(editCase));
    }

    /**
     * @param fileCases every case of the file the suite runs (all shards, after {@code hardedit.limit}): the
     *                  knowledge canaries leave out facts about any of their subjects, the same set for every case
     */
    public CaseDescriptor(UniqueId id, EditCase editCase, String fileName, Role role, String method, TestSource source,
            List<EditCase> fileCases) {
        super(id, displayName(editCase, method), source);
        this.editCase = editCase;
        this.fileName = fileName;
        this.role = role;
        this.tags = Tags.of(editCase, method);
        this.fileCases = List.copyOf(fileCases);
    }

    /** Every case of this case's file in the suite (the canaries' exclusions). */
    public List<EditCase> fileCases() {
        return fileCases;
    }

    /**
     * How a case is named everywhere (test tree, console, Surefire, Allure): {@code id · subject → target [method]}.
     * The method is part of the name: the containers of one case under two methods must not share a name, or
     * Surefire takes the second for a rerun of the first (a failed container is reported under its display name).
     */
    public static String displayName(EditCase c, String method) {
        return c.caseId() + " · " + c.subject() + " → " + c.targetNew() + " [" + method + "]";
    }

    public EditCase editCase() {
        return editCase;
    }

    public String fileName() {
        return fileName;
    }

    public Role role() {
        return role;
    }

    @Override
    public Set<TestTag> getTags() {
        return tags;
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
        return CaseRunner.before(context, this);
    }

    @Override
    public void after(HardEditExecutionContext context) throws Exception {
        CaseRunner.after(context, this);
    }
}
