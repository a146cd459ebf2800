package io.github.editunit.framework.runtime;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * libtorch's OpenMP threads spin while they wait for work unless {@code OMP_WAIT_POLICY=PASSIVE}:
 * with two busy JVMs on few cores (a Surefire fork beside a build, two forks, a CI runner shared
 * with other jobs) each slows the other down many times over (docs/benchmarks.md). The OpenMP
 * runtime reads the variable from the process environment when libtorch starts it, so a running
 * JVM cannot set it for itself; EditUnit sets it where it starts processes ({@code ./editunit}, the
 * sample POM) and otherwise says once, on stderr, how to set it.
 */
public final class OpenMpWaitPolicy {

    /** The environment variable. */
    public static final String VARIABLE = "OMP_WAIT_POLICY";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private OpenMpWaitPolicy() {}

    /**
     * The advice for an environment without {@value #VARIABLE}; empty when it is set (to any value:
     * {@code ACTIVE} is a deliberate choice, e.g. a machine with cores to spare).
     */
    public static Optional<String> advice(Map<String, String> environment) {
        String v = environment.get(VARIABLE);
        if (v != null && !v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of("[editunit] " + VARIABLE + " is not set: libtorch's OpenMP threads will spin while they "
                + "wait, and a JVM beside another busy process on few cores runs many times slower. Set "
                + VARIABLE + "=PASSIVE in the environment (Maven Surefire/Failsafe: <environmentVariables><"
                + VARIABLE + ">PASSIVE</" + VARIABLE + "></environmentVariables>).");
    }

    /** Prints the advice for this process once (if any). */
    static void warnOnce(Map<String, String> environment, PrintStream err) {
        warnOnce(environment, err, WARNED);
    }

    static void warnOnce(Map<String, String> environment, PrintStream err, AtomicBoolean warned) {
        advice(environment).ifPresent(a -> {
            if (warned.compareAndSet(false, true)) {
                err.println(a);
            }
        });
    }
}
