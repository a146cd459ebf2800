package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * Six cases of the bundled model's single-edit suite (extended format: three paraphrases and
 * several neighbours per case; {@code single/cases.json}), each applied alone with ROME, checked
 * (efficacy, generalisation, locality, non-collapse) and restored. They are cases ROME handles on
 * this model; case 16 (Storex → Polish) is one it does not: ROME at layer 0 breaks all five of
 * its neighbours (NS 0.00). Add it to the file, or add {@code "c-rome"} to the methods, to see a
 * failing gate.
 */
@HardEditCases(cases = "single/cases.json", methods = "rome")
class SingleEditTest {}
