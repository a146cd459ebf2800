package io.github.editunit.framework.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Progress#periodic}: the lines of a long job (the engine's baseline perplexity, the reading of a
 * checkpoint) with the caller's prefix, none once the job is complete and no "done" line.
 */
class PeriodicProgressTest {

    /**
     * Interval 0: every advance is due. Rules out a line for the completed job (the caller prints the
     * result right after), a "done" line at finish, and the bracketed task prefix of
     * {@link Progress#toStderr} instead of the caller's.
     */
    @Test
    void linesWhileRunningNoneWhenComplete() {
        List<String> lines = new ArrayList<>();
        Progress p = Progress.periodic("[hardedit] baseline perplexity of m: ", 50, "sentences", lines::add, 0);
        p.advance(20, 0);
        p.advance(20, 0);
        p.advance(10, 0);
        p.finish();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("[hardedit] baseline perplexity of m: 20/50 sentences, ETA ");
        assertThat(lines.get(1)).startsWith("[hardedit] baseline perplexity of m: 40/50 sentences, ");
        assertThat(lines).noneMatch(l -> l.contains("50/50") || l.endsWith(" done"));
    }

    /** A long interval: a quick job prints nothing at all. Rules out a line per advance. */
    @Test
    void aQuickJobPrintsNothing() {
        List<String> lines = new ArrayList<>();
        Progress p = Progress.periodic("x: ", 3, "tensors", lines::add, 60_000);
        p.advance(1, 0);
        p.advance(1, 0);
        p.finish();
        assertThat(lines).isEmpty();
    }
}
