package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * Twelve single edits from the bundled model's suite, each applied alone with ROME and with
 * C-ROME, checked (efficacy, generalisation, locality, non-collapse) and restored.
 */
@HardEditCases(cases = "bundled:single-edit.json", methods = {"rome", "c-rome"}, limit = 12)
class SingleEditTest {}
