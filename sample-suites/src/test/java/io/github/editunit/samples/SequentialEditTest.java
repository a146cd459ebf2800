package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * Six edits of the bundled sequential suite applied one after another with ROME and kept: every
 * step is checked (non-collapse against the unedited perplexity), the perplexity trajectory is
 * charted in the report, and the model is restored at the end (hash verified).
 */
@HardEditCases(cases = "bundled:sequential-100.extended.json", methods = "rome", mode = "sequential", limit = 6)
class SequentialEditTest {}
