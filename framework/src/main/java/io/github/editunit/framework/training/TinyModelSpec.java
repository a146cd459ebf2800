package io.github.editunit.framework.training;

/**
 * Size and training budget of a sandbox model.
 *
 * @param vocabSize BPE vocabulary size
 * @param contextLength positions
 * @param width residual width
 * @param layers blocks
 * @param heads attention heads
 * @param steps optimiser steps
 * @param batchTokens padded tokens per batch
 * @param learningRate peak learning rate
 * @param seed initialisation and shuffling seed
 */
public record TinyModelSpec(int vocabSize, int contextLength, int width, int layers, int heads, int steps,
        int batchTokens, double learningRate, long seed) {

    /** The bundled model's recipe (see models/editunit-tiny/MODEL_CARD.md). */
    public static TinyModelSpec bundled() {
        return new TinyModelSpec(4096, 128, 128, 4, 4, 2400, 4096, 3e-3, 42);
    }

    public TrainingConfig trainingConfig() {
        return TrainingConfig.defaults(steps).withBatchTokens(batchTokens).withLearningRate(learningRate).withSeed(seed);
    }
}
