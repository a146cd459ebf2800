package io.github.editunit.framework.training;

import io.github.editunit.framework.model.LanguageModel;

/** Asked by {@link LanguageModelTrainer} after every step whether the training has done enough. */
@FunctionalInterface
public interface EarlyStop {

    /**
     * @param model the model being trained (read it, do not change it)
     * @param stepsDone optimiser steps taken so far (1-based: 1 after the first step)
     * @return true to stop now
     */
    boolean shouldStop(LanguageModel model, int stepsDone);
}
