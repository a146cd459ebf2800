package io.github.editunit.engine;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs the engine through EngineTestKit with the reporter off (Allure must not see the engine's
 * nodes as parts of the Jupiter test running it), quiet progress and a short perplexity corpus.
 * The model is the bundled one unless {@code editunit.test.model} says otherwise.
 */
final class EngineKit {

    private EngineKit() {}

    static EngineTestKit.Builder builder(DiscoverySelector... selectors) {
        EngineTestKit.Builder b = EngineTestKit.engine("hardedit").selectors(selectors)
                .configurationParameter("hardedit.reporter", "none")
                .configurationParameter("hardedit.progress", "true")
                .configurationParameter("hardedit.ppl.limit", "8")
                .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"));
        String ppl = System.getProperty("editunit.test.pplCorpus");
        if (ppl != null) {
            b = b.configurationParameter("hardedit.ppl.corpus", ppl);
        }
        String stats = System.getProperty("editunit.test.statsCorpus");
        if (stats != null) {
            b = b.configurationParameter("hardedit.stats.corpus", stats);
        }
        return b;
    }

    static EngineExecutionResults run(DiscoverySelector... selectors) {
        EngineExecutionResults r = builder(selectors).execute();
        // containers fail only for infrastructure problems: show them, the assertions alone would hide the cause
        r.containerEvents().failed().stream().forEach(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .ifPresent(t -> {
                    System.err.println("[engine-test] container " + e.getTestDescriptor().getUniqueId() + " failed:");
                    t.printStackTrace();
                }));
        return r;
    }
}
