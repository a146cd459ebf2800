package io.github.editunit.engine.execution;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When each phase of a case's {@code before} ran (wall clock, epoch milliseconds, measured around the real
 * work): the report shows each phase as a step of every check of the case, with these times.
 */
public final class CasePhases {

    /** The work a case container does before its checks run. */
    public enum Phase {
        /** The neighbours' predictions before the edit (locality compares against them). */
        SNAPSHOT,
        /** Applying the edit. */
        APPLY,
        /** Efficacy, generalisation, locality and perplexity of the edited model. */
        MEASURE,
        /** Measuring the knowledge canaries on the edited model. */
        CANARIES,
        /** Restoring the weights and verifying the hash (single mode). */
        RESTORE,
        /** Verify mode: looking the edit up in the edited model and measuring it. */
        LOOKUP
    }

    /** Start and stop of one phase, epoch milliseconds. */
    public record Span(long startMillis, long stopMillis) {}

    private final Map<Phase, Span> spans = new EnumMap<>(Phase.class);

    /** The clock the phases are measured with. */
    public static long now() {
        return System.currentTimeMillis();
    }

    /** Records that {@code phase} ran from {@code startMillis} until now. */
    public synchronized void finished(Phase phase, long startMillis) {
        spans.put(phase, new Span(startMillis, now()));
    }

    public synchronized Optional<Span> of(Phase phase) {
        return Optional.ofNullable(spans.get(phase));
    }
}
