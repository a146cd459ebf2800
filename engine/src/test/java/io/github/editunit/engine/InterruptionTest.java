package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;

import io.github.editunit.framework.runtime.Interruption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Once a stop is requested (what the shutdown hook does on SIGINT/SIGTERM), cases that have not
 * started are skipped with a reason instead of starting an edit that the next step would abort:
 * no case fails, no model is edited. Rules out an engine that ignores the request and runs (or
 * breaks) every remaining case.
 */
class InterruptionTest {

    @AfterEach
    void clear() {
        Interruption.clearForTests();
    }

    @Test
    void casesNotYetStartedAreSkippedAfterAStopRequest() {
        Interruption.request("test: stop requested");
        EngineExecutionResults r = EngineKit.run(selectClass(Suites.TwoMethods.class));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        r.testEvents().assertStatistics(s -> s.started(0).failed(0));
        long skippedCases = r.containerEvents().skipped().count();
        assertThat(skippedCases).as("case containers skipped").isGreaterThanOrEqualTo(2);
        r.containerEvents().assertThatEvents().haveAtLeast(2,
                event(skippedWithReason("run interrupted before this started")));
    }
}
