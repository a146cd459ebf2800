package io.github.editunit.framework.model;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Gradient recording of libtorch on the calling thread. Inference (perplexity, scoring,
 * generation) runs with recording off, so no autograd graph is built and no activation is kept
 * for a backward pass; code that needs gradients opens a {@code GradientCollector}, which turns
 * recording on for its lifetime. Blocks use {@link #recording()} to choose in-place arithmetic
 * (allowed only when nothing will be differentiated).
 */
public final class Inference {

    private Inference() {}

    /** Whether libtorch records operations for autograd on this thread (inside a {@code GradientCollector}). */
    public static boolean recording() {
        return JniUtils.isGradMode();
    }

    /** Runs {@code body} with recording off on this thread and restores the previous mode. */
    public static <T> T withoutGradients(Supplier<T> body) {
        boolean was = JniUtils.isGradMode();
        if (was) {
            JniUtils.setGradMode(false);
        }
        try {
            return body.get();
        } finally {
            if (was) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
