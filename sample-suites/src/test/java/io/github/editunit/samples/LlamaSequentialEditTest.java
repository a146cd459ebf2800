package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The first 8 steps of the bundled Llama's own sequential suite ({@code bundled:sequential-100.extended.json}
 * resolves to the suite of the run's bundled model), with ROME, kept: non-collapse after every step
 * and the perplexity trajectory, as {@link SequentialEditTest} does for the GPT-2.
 */
@HardEditCases(cases = "bundled:sequential-100.extended.json", model = "editunit-tiny-llama", methods = "rome",
        mode = "sequential", limit = 8)
class LlamaSequentialEditTest {}
