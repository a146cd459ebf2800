package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * First-token subjects (the subject is the first token of the prompt: tag {@code first-token}),
 * edited with ROME and with C-ROME; the report puts the two side by side with each edit's ROME
 * denominator and update norm. On large pretrained GPT-2 models ROME collapses on such cases;
 * a case file marks that with {@code "expect": "collapse"} (asserted for the methods in
 * {@code expectationMethods}; {@code -Dhardedit.gate.expectedCollapse=fail} turns it into a
 * failing gate). The bundled tiny model has no massive first-position activation (see its model
 * card), so these cases (12 and 23 of the
 * bundled single-edit suite) carry no such mark and must pass with both methods.
 */
@HardEditCases(cases = "first-token/cases.json", methods = {"rome", "c-rome"}, expectationMethods = "rome")
class FirstTokenTest {}
