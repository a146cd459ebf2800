package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The same six cases as {@link SingleEditTest}, on the bundled Llama ({@code editunit-tiny-llama}:
 * grouped-query attention, rotary positions, SwiGLU, a BOS before every input), each applied alone
 * with ROME at its {@code down_proj}, checked and restored. Facts are the same world's, so one case
 * file serves both models; the hyperparameters are the Llama's own (picked by the catalog).
 */
@HardEditCases(cases = "single/cases.json", model = "editunit-tiny-llama", methods = "rome")
class LlamaSingleEditTest {}
