package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The first six cases of the bundled model's single-edit suite (extended format: three
 * paraphrases and several neighbours per case), each applied alone with ROME and with C-ROME,
 * checked (efficacy, generalisation, locality, non-collapse) and restored. Raise {@code limit}
 * (or set {@code -Dhardedit.limit=0}… the annotation wins, so edit it here) for the full 200.
 */
@HardEditCases(cases = "bundled:single-edit.extended.json", methods = {"rome", "c-rome"}, limit = 6)
class SingleEditTest {}
