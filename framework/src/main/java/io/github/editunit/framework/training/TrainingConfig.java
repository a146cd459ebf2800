package io.github.editunit.framework.training;

/**
 * Hyperparameters of next-token training.
 *
 * @param steps optimiser steps
 * @param batchTokens target tokens per batch (sequences of similar length are grouped until
 *     their padded size reaches this)
 * @param learningRate peak learning rate
 * @param warmupSteps linear warm-up steps
 * @param minLearningRateRatio cosine decay floor as a fraction of the peak
 * @param weightDecay AdamW decoupled weight decay (matrices only)
 * @param beta1 Adam β1
 * @param beta2 Adam β2
 * @param epsilon Adam ε
 * @param gradientClip global gradient-norm clip (≤ 0 disables)
 * @param seed shuffling seed
 */
public record TrainingConfig(
        int steps,
        int batchTokens,
        double learningRate,
        int warmupSteps,
        double minLearningRateRatio,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double gradientClip,
        long seed) {

    public static TrainingConfig defaults(int steps) {
        return new TrainingConfig(steps, 4096, 3e-3, Math.max(1, steps / 20), 0.1, 0.05, 0.9, 0.98, 1e-8, 1.0, 1);
    }

    public TrainingConfig withSteps(int s) {
        return new TrainingConfig(s, batchTokens, learningRate, Math.max(1, Math.min(warmupSteps, s / 10)),
                minLearningRateRatio, weightDecay, beta1, beta2, epsilon, gradientClip, seed);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(steps, batchTokens, lr, warmupSteps, minLearningRateRatio, weightDecay, beta1,
                beta2, epsilon, gradientClip, seed);
    }

    public TrainingConfig withBatchTokens(int tokens) {
        return new TrainingConfig(steps, tokens, learningRate, warmupSteps, minLearningRateRatio, weightDecay, beta1,
                beta2, epsilon, gradientClip, seed);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(steps, batchTokens, learningRate, warmupSteps, minLearningRateRatio, weightDecay,
                beta1, beta2, epsilon, gradientClip, s);
    }

    /** Learning rate at {@code step} (0-based): linear warm-up, then cosine decay to the floor. */
    public double learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
        return learningRate * (minLearningRateRatio + (1 - minLearningRateRatio) * cosine);
    }
}
