package io.github.editunit.engine.execution;

import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.List;

/**
 * A measured case: its evaluation, the edit handle (null in verify mode) and the verdicts its
 * checks recorded (for the progress line).
 */
public final class CaseState {

    private final EditCase editCase;
    private final String fileName;
    private final String method;
    private final CaseEvaluation evaluation;
    private final EditOutcome outcome;
    private final boolean collapseExpected;
    private final long startNanos;
    private final CasePhases phases;
    private final KnowledgeRetention knowledge;
    private final List<String> failed = new ArrayList<>();

    public CaseState(EditCase editCase, String fileName, String method, CaseEvaluation evaluation, EditOutcome outcome,
            boolean collapseExpected, long startNanos, CasePhases phases) {
        this(editCase, fileName, method, evaluation, outcome, collapseExpected, startNanos, phases, null);
    }

    /** @param knowledge the canaries after the edit (null without {@code hardedit.canary.source}) */
    public CaseState(EditCase editCase, String fileName, String method, CaseEvaluation evaluation, EditOutcome outcome,
            boolean collapseExpected, long startNanos, CasePhases phases, KnowledgeRetention knowledge) {
        this.knowledge = knowledge;
        this.editCase = editCase;
        this.fileName = fileName;
        this.method = method;
        this.evaluation = evaluation;
        this.outcome = outcome;
        this.collapseExpected = collapseExpected;
        this.startNanos = startNanos;
        this.phases = phases;
    }

    /** When applying, measuring and restoring ran (the report's steps). */
    public CasePhases phases() {
        return phases;
    }

    /** The knowledge canaries measured after the edit, or null when none are configured. */
    public KnowledgeRetention knowledge() {
        return knowledge;
    }

    public EditCase editCase() {
        return editCase;
    }

    public String fileName() {
        return fileName;
    }

    public String method() {
        return method;
    }

    public CaseEvaluation evaluation() {
        return evaluation;
    }

    public EditOutcome outcome() {
        return outcome;
    }

    /** Whether the data's {@code expect: collapse} applies here and is asserted (not a failing gate). */
    public boolean collapseExpected() {
        return collapseExpected;
    }

    public double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public synchronized void failed(String check) {
        failed.add(check);
    }

    public synchronized List<String> failedChecks() {
        return List.copyOf(failed);
    }
}
