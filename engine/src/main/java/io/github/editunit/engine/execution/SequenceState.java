package io.github.editunit.engine.execution;

import io.github.editunit.framework.editing.EditOutcome;
import java.util.ArrayList;
import java.util.List;

/** A running sequence: the kept edits (restored in reverse at the end) and the perplexity trajectory. */
public final class SequenceState {

    private final String baseHash;
    private final double baseline;
    private final double boundValue;
    private final List<EditOutcome> kept = new ArrayList<>();
    private final List<Double> trajectory = new ArrayList<>();
    private final List<String> stepNames = new ArrayList<>();
    private final List<Double> canaryTrajectory = new ArrayList<>();
    private volatile double canaryBaseline = Double.NaN;
    private volatile double canaryFloor = Double.NaN;

    public SequenceState(String baseHash, double baseline, double boundValue) {
        this.baseHash = baseHash;
        this.baseline = baseline;
        this.boundValue = boundValue;
    }

    public String baseHash() {
        return baseHash;
    }

    public double baseline() {
        return baseline;
    }

    /** The largest allowed perplexity. */
    public double boundValue() {
        return boundValue;
    }

    public synchronized void kept(EditOutcome o) {
        kept.add(o);
    }

    public synchronized List<EditOutcome> keptEdits() {
        return List.copyOf(kept);
    }

    public synchronized void step(String name, double ppl) {
        stepNames.add(name);
        trajectory.add(ppl);
    }

    public synchronized List<Double> trajectory() {
        return List.copyOf(trajectory);
    }

    /** Records the canaries after a step: the unedited recall and the bound's floor (the same every step) and the recall now. */
    public synchronized void canaryStep(double baselineRecall, double floor, double recall) {
        canaryBaseline = baselineRecall;
        canaryFloor = floor;
        canaryTrajectory.add(recall);
    }

    /** Canary recall after each step (empty without canaries). */
    public synchronized List<Double> canaryTrajectory() {
        return List.copyOf(canaryTrajectory);
    }

    public double canaryBaseline() {
        return canaryBaseline;
    }

    public double canaryFloor() {
        return canaryFloor;
    }

    public synchronized List<String> stepNames() {
        return List.copyOf(stepNames);
    }
}
