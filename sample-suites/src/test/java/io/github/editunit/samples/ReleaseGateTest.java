package io.github.editunit.samples;

import io.github.editunit.engine.HardEditCases;

/**
 * The release gate: nothing is edited here. The edited model is the bundled base model plus the
 * weight patch the build wrote before the tests ({@code exec-maven-plugin}, the same
 * {@code editunit edit --sequential --out} a user's edit job would run); the gate checks that
 * every edit of {@code release/edits.json} is present and that the perplexity of the edited model
 * is within ×1.5 of the base.
 */
@HardEditCases(cases = "release/edits.json", mode = "verify",
        verifyPatches = "target/release-edits.patch.safetensors", pplBound = "x1.5")
class ReleaseGateTest {}
