package io.github.editunit.engine.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlatformVersionCheckTest {

    private static Map<String, String> versions(String engine, String commons, String launcher) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("junit-platform-engine", engine);
        m.put("junit-platform-commons", commons);
        if (launcher != null) {
            m.put("junit-platform-launcher", launcher);
        }
        return m;
    }

    @Test
    @DisplayName("launcher and engine API 1.10.3 under an engine built for 6.1.3 are fatal, the message names them "
            + "and the fix (rules out: comparing the class path's artifacts with each other only, which passes "
            + "when all of them are the wrong 1.10.3)")
    void platformOfAnotherMajorVersionIsFatal() {
        var verdict = PlatformVersionCheck.judge("6.1.3", versions("1.10.3", "6.1.3", "1.10.3"));
        assertThat(verdict).hasValueSatisfying(v -> {
            assertThat(v.fatal()).isTrue();
            assertThat(v.message())
                    .contains("built for JUnit Platform 6.1.3", "junit-platform-engine 1.10.3",
                            "junit-platform-launcher 1.10.3", "editunit-bom", "org.junit:junit-bom:6.1.3")
                    .doesNotContain("junit-platform-commons"); // only the differing ones are listed
        });
        assertThat(PlatformVersionCheck.judge("6.1.3", versions("1.10.3", "1.10.3", "1.10.3")))
                .hasValueSatisfying(v -> assertThat(v.fatal()).isTrue());
    }

    @Test
    @DisplayName("only the launcher of another major version is fatal too (rules out: checking the engine API alone)")
    void launcherAloneOfAnotherMajorVersionIsFatal() {
        assertThat(PlatformVersionCheck.judge("6.1.3", versions("6.1.3", "6.1.3", "1.10.3")))
                .hasValueSatisfying(v -> assertThat(v.fatal()).isTrue());
    }

    @Test
    @DisplayName("a minor-version difference is reported but not fatal (rules out: refusing 6.0.3 next to 6.1.3, "
            + "which IDE launchers may bring)")
    void minorDifferenceOnlyWarns() {
        assertThat(PlatformVersionCheck.judge("6.1.3", versions("6.1.3", "6.1.3", "6.0.3"))).hasValueSatisfying(v -> {
            assertThat(v.fatal()).isFalse();
            assertThat(v.message()).contains("junit-platform-launcher 6.0.3", "may fail");
        });
    }

    @Test
    @DisplayName("equal versions, or no launcher at all (EngineTestKit), say nothing")
    void alignedVersionsAreSilent() {
        assertThat(PlatformVersionCheck.judge("6.1.3", versions("6.1.3", "6.1.3", "6.1.3"))).isEmpty();
        assertThat(PlatformVersionCheck.judge("6.1.3", versions("6.1.3", "6.1.3", null))).isEmpty();
    }

    @Test
    @DisplayName("the built-for version is the build's JUnit version, and this module's class path passes without "
            + "a line (rules out: an unfiltered ${junit.version} placeholder in the jar)")
    void realClassPathPasses() {
        assertThat(PlatformVersionCheck.builtFor()).matches("\\d+\\.\\d+\\.\\d+.*")
                .isEqualTo(org.junit.platform.engine.TestEngine.class.getPackage().getImplementationVersion());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThatCode(() -> PlatformVersionCheck.enforce(new PrintStream(err, true, StandardCharsets.UTF_8)))
                .doesNotThrowAnyException();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
