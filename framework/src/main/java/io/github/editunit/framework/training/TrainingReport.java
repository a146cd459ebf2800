package io.github.editunit.framework.training;

import java.util.List;

/**
 * What a training run did.
 *
 * @param steps optimiser steps taken
 * @param losses mean training loss per step
 * @param tokens target tokens seen
 * @param seconds wall time
 * @param epochs passes over the data (fractional)
 * @param skippedSteps steps whose update was skipped because the loss or gradient was not finite
 */
public record TrainingReport(int steps, List<Double> losses, long tokens, double seconds, double epochs,
        int skippedSteps) {

    public double firstLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(0);
    }

    /** Mean loss of the last {@code n} steps. */
    public double finalLoss(int n) {
        int from = Math.max(0, losses.size() - n);
        return losses.subList(from, losses.size()).stream().mapToDouble(Double::doubleValue).filter(Double::isFinite)
                .average().orElse(Double.NaN);
    }

    public double tokensPerSecond() {
        return tokens / Math.max(seconds, 1e-9);
    }
}
