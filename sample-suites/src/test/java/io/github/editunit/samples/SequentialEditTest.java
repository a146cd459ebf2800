package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * Fifteen edits applied one after another with MEMIT and kept: every step is checked, the
 * perplexity trajectory is charted in the report, and the model is restored at the end.
 */
@HardEditCases(cases = "bundled:sequential-100.json", methods = "memit", mode = "sequential", limit = 15)
class SequentialEditTest {}
