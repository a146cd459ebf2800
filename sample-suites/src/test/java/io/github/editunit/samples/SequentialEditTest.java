package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The first three edits of the bundled sequential suite applied one after another with ROME and
 * kept: every step is checked (non-collapse against the unedited perplexity), the perplexity
 * trajectory is charted in the report, and the model is restored at the end (hash verified).
 * (Step 4, Grailvol → BBC, currently makes ROME produce a non-finite update after three kept
 * edits; the engine reports that as an error of that step.)
 */
@HardEditCases(cases = "bundled:sequential-100.extended.json", methods = "rome", mode = "sequential", limit = 3)
class SequentialEditTest {}
