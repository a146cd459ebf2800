package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The release gate on the bundled Llama: nothing is edited here. The edited model is
 * {@code editunit-tiny-llama} plus the weight patch the build wrote before the tests
 * ({@code exec-maven-plugin}: {@code editunit edit --model editunit-tiny-llama --method c-rome
 * --sequential --out}) for {@code release/edits.json}; the gate checks that every edit is present
 * and that the edited model's perplexity is within ×1.5 of the base.
 */
@HardEditCases(cases = "release/edits.json", model = "editunit-tiny-llama", mode = "verify",
        verifyPatches = "target/release-edits-llama.patch.safetensors", pplBound = "x1.5")
class LlamaReleaseGateTest {}
