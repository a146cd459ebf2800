package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The first eight edits of the bundled sequential suite applied one after another with ROME and
 * kept: every step is checked (non-collapse against the unedited perplexity), the perplexity
 * trajectory is charted in the report, and the model is restored at the end (hash verified).
 * Kept edits accumulate damage: with {@code limit = 10}, step 9 (Reval → Sweden) breaks locality
 * (NS 0.40) and step 10 (Thegand → Arabic) no longer generalises (PS 0.33) — raise the limit to
 * watch the gate catch it.
 */
@HardEditCases(cases = "bundled:sequential-100.extended.json", methods = "rome", mode = "sequential", limit = 8)
class SequentialEditTest {}
