package io.github.editunit.framework.training;

import java.util.List;

/**
 * What a training run did.
 *
 * @param steps optimiser steps taken
 * @param losses mean training loss per step
 * @param tokens target tokens seen
 * @param seconds wall time of this run (a resumed run: since it resumed)
 * @param epochs passes over the data (fractional)
 * @param skippedSteps steps whose update was skipped because the loss or gradient was not finite
 * @param resumedFromStep the checkpoint's step this run resumed from; 0: trained from the start
 * @param resumedTokens target tokens seen before the resumed step (counted in {@code tokens})
 */
public record TrainingReport(int steps, List<Double> losses, long tokens, double seconds, double epochs,
        int skippedSteps, int resumedFromStep, long resumedTokens) {

    /** A run trained from the start. */
    public TrainingReport(int steps, List<Double> losses, long tokens, double seconds, double epochs,
            int skippedSteps) {
        this(steps, losses, tokens, seconds, epochs, skippedSteps, 0, 0);
    }

    public double firstLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    /** Mean loss of the last {@code n} steps. */
    public double finalLoss(int n) {
        int from = Math.max(0, losses.size() - n);
        return losses.subList(from, losses.size()).stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .average().orElse(Double.NaN);
    }

    /** Throughput of this run (a resumed run: the tokens since it resumed over its own time). */
    public double tokensPerSecond() {
        return (tokens - resumedTokens) / Math.max(seconds, 1e-9);
    }
}
