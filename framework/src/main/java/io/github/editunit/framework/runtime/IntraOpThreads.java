package io.github.editunit.framework.runtime;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Optional;

/**
 * One libtorch intra-op thread for a tiny model on the CPU, when the user has not chosen a count. At the bundled
 * models' size (width 128) the hand-offs of a second thread cost more than it computes: on two cores a ROME edit took
 * 0.73 s on one thread and 1.03 s on two, MEMIT's batch of 100 11.9 s and 15.1 s (docs/benchmarks.md, "The eager-PyTorch
 * ROME peer"); from GPT-2 small's width (768) on, two threads are faster. The count is process-wide in libtorch, so
 * only a process that works on one model applies this (the command-line tool, after loading its model); the engine,
 * which may hold a tiny and a large model in one JVM, leaves it to the user ({@code -Dai.djl.pytorch.num_threads=1} in
 * Surefire's {@code argLine}, as {@code sample-suites/pom.xml} does).
 */
public final class IntraOpThreads {

    /** DJL's system property for the intra-op thread count; when it is set, nothing is changed. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    /** The widest model that counts as tiny. */
    public static final int TINY_WIDTH = 256;

    private static final java.util.concurrent.atomic.AtomicBoolean ENABLED = new java.util.concurrent.atomic.AtomicBoolean();

    private IntraOpThreads() {}

    /**
     * Lets {@link #adapt} act in this process: called by the command-line tool's {@code main}, never by code that
     * shares its JVM with other work (a test JVM running commands in-process keeps its thread count).
     */
    public static void enableForThisProcess() {
        ENABLED.set(true);
    }

    /** Undoes {@link #enableForThisProcess} (tests). */
    static void disable() {
        ENABLED.set(false);
    }

    /**
     * Sets one intra-op thread for a tiny CPU model when this process allows it ({@link #enableForThisProcess}),
     * {@value #PROPERTY} is unset and libtorch has more; returns the line to log when it did.
     */
    public static Optional<String> adapt(int width, boolean cpu) {
        String chosen = System.getProperty(PROPERTY);
        if (!ENABLED.get() || (chosen != null && !chosen.isBlank()) || !cpu || width > TINY_WIDTH) {
            return Optional.empty();
        }
        int current = JniUtils.getNumThreads();
        if (current <= 1) {
            return Optional.empty();
        }
        JniUtils.setNumThreads(1);
        return Optional.of("[model] tiny model (width " + width + "): 1 libtorch intra-op thread instead of " + current
                + ", faster at this size; -D" + PROPERTY + "=N chooses another count");
    }
}
