package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The first six cases of the bundled model's single-edit suite (extended format: three
 * paraphrases and several neighbours per case), each applied alone with ROME, checked
 * (efficacy, generalisation, locality, non-collapse) and restored. C-ROME is compared with ROME
 * in {@link FirstTokenTest}: on this tiny model its paraphrase score falls below the default
 * generalisation threshold (0.5) on three of these six cases (PS 0.00, 0.33, 0.33), so adding
 * {@code "c-rome"} here turns the build red — try it to see a failing gate.
 */
@HardEditCases(cases = "bundled:single-edit.extended.json", methods = "rome", limit = 6)
class SingleEditTest {}
