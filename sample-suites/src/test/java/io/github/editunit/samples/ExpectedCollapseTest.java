package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * What a caught collapse looks like. {@code collapse/cases.json} marks case 1119 with
 * {@code "expect": "collapse"}, and the edit is made with deliberately aggressive unconstrained
 * fine-tuning ({@code collapse/ft-aggressive.json}: lr 0.05 on every MLP down-projection), which
 * multiplies the bundled model's perplexity about a hundredfold. The non-collapse check asserts
 * that the collapse happens (and the report shows it under "model collapse"); run with
 * {@code -Dhardedit.gate.expectedCollapse=fail} to see the same case block a release.
 */
@HardEditCases(cases = "collapse/cases.json", methods = "ft", hparams = "src/test/resources/collapse/ft-aggressive.json",
        expectationMethods = "ft")
class ExpectedCollapseTest {}
