package io.github.editunit.framework.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command-line tool's thread choice: one intra-op thread for a tiny CPU model, and nothing changed otherwise.
 * Rules out a policy blind to the model's size (GPT-2 small's width 768 is faster on two threads), one that
 * overrides the user's {@code -Dai.djl.pytorch.num_threads}, one that touches a GPU run, and one that changes the
 * thread count of a JVM that runs commands in-process beside other work (measured: a test JVM left on one thread made
 * an in-process training differ bit for bit from a child process's).
 */
class IntraOpThreadsTest {

    private int before;
    private String property;

    @BeforeEach
    void remember() {
        DjlRuntime.engine();
        before = JniUtils.getNumThreads();
        property = System.getProperty(IntraOpThreads.PROPERTY);
        System.clearProperty(IntraOpThreads.PROPERTY);
        JniUtils.setNumThreads(2);
        IntraOpThreads.enableForThisProcess();
    }

    @AfterEach
    void restore() {
        IntraOpThreads.disable();
        JniUtils.setNumThreads(before);
        if (property != null) {
            System.setProperty(IntraOpThreads.PROPERTY, property);
        }
    }

    @Test
    void tinyCpuModelGetsOneThread() {
        assertThat(IntraOpThreads.adapt(128, true)).hasValueSatisfying(line -> assertThat(line)
                .contains("width 128").contains("1 libtorch intra-op thread instead of 2")
                .contains(IntraOpThreads.PROPERTY));
        assertThat(JniUtils.getNumThreads()).isEqualTo(1);
        // already one: nothing more to say
        assertThat(IntraOpThreads.adapt(128, true)).isEmpty();
    }

    @Test
    void aSharedJvmKeepsItsThreadCount() {
        // commands run in-process (tests, an embedding application) never enabled it
        IntraOpThreads.disable();
        assertThat(IntraOpThreads.adapt(128, true)).isEmpty();
        assertThat(JniUtils.getNumThreads()).isEqualTo(2);
    }

    @Test
    void largerModelsGpusAndTheUsersChoiceAreLeftAlone() {
        assertThat(IntraOpThreads.adapt(768, true)).isEmpty();
        assertThat(IntraOpThreads.adapt(IntraOpThreads.TINY_WIDTH + 1, true)).isEmpty();
        assertThat(IntraOpThreads.adapt(128, false)).isEmpty();
        System.setProperty(IntraOpThreads.PROPERTY, "2");
        try {
            assertThat(IntraOpThreads.adapt(128, true)).isEmpty();
        } finally {
            System.clearProperty(IntraOpThreads.PROPERTY);
        }
        assertThat(JniUtils.getNumThreads()).isEqualTo(2);
    }
}
