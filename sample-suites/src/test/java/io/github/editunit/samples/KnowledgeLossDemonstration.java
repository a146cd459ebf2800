package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * A demonstration, not a gate: the same sequence as {@link SequentialEditTest} with knowledge canaries (300
 * facts of the bundled world no step edits, bound {@code drop:0.1}). The canaries fail at step 6 (Sedus →
 * zoology: recall 1.00 → 0.84) while every step's perplexity is still within ×1.5 (×1.02): what a release
 * gate watching perplexity alone lets through. Locality is not checked here ({@code locality = 0}) so the
 * report shows the canary failures alone.
 *
 * <p>Run by its own Failsafe execution ({@code knowledge-loss-demonstration} in sample-suites/pom.xml) whose
 * result is not verified: its red checks are in the console, the Failsafe XML and the Allure report, and the
 * build stays green. Make it a gate by naming it {@code *Test}.
 */
@HardEditCases(cases = "bundled:sequential-100.extended.json", methods = "rome", mode = "sequential", limit = 8,
        canaries = "world", canaryBound = "drop:0.1", locality = 0)
class KnowledgeLossDemonstration {}
