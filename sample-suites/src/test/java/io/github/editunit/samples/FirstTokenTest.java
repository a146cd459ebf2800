package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * First-token subjects (the subject is the first token of the prompt). The data marks them
 * {@code "expect": "collapse"} for ROME, whose update denominator vanishes there: ROME is asserted
 * to collapse the model, C-ROME must edit them cleanly. Run with
 * {@code -Dhardedit.gate.expectedCollapse=fail} to see a blocked release.
 */
@HardEditCases(cases = "first-token/cases.json", methods = {"rome", "c-rome"}, expectationMethods = "rome")
class FirstTokenTest {}
