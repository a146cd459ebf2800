package io.github.editunit.engine.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.platform.commons.JUnitException;

/**
 * Refuses to run on a JUnit Platform of another major version than the one the engine is built for.
 * The typical cause: {@code io.qameta.allure:allure-junit-platform} (or an explicit dependency) brings
 * {@code junit-platform-launcher} 1.10.x and its {@code junit-platform-engine} next to the 6.x the
 * engine needs; Surefire's fork then dies with a {@code NullPointerException} in
 * {@code LauncherAdapter} or a {@code NoSuchMethodError} that names neither artifact. The check runs
 * first in discovery, prints one line naming the versions and the fix, and fails the discovery with the
 * same message. A difference in the minor or patch version only prints the line.
 */
public final class PlatformVersionCheck {

    /** The artifacts whose versions must be the engine's, each with a class it contains. */
    private static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();

    static {
        ARTIFACTS.put("junit-platform-engine", "org.junit.platform.engine.TestEngine");
        ARTIFACTS.put("junit-platform-commons", "org.junit.platform.commons.JUnitException");
        ARTIFACTS.put("junit-platform-launcher", "org.junit.platform.launcher.Launcher");
    }

    /** What the check found. */
    public record Verdict(boolean fatal, String message) {}

    private PlatformVersionCheck() {}

    /** Checks the artifacts on the class path; throws on a major-version mismatch. */
    public static void enforce(java.io.PrintStream err) {
        Map<String, String> versions = new LinkedHashMap<>();
        ARTIFACTS.forEach((artifact, className) -> versionOf(className).ifPresent(v -> versions.put(artifact, v)));
        judge(builtFor(), versions).ifPresent(verdict -> {
            err.println("[hardedit] " + verdict.message());
            if (verdict.fatal()) {
                throw new JUnitException(verdict.message());
            }
        });
    }

    /** The JUnit Platform version the engine was built for (written into the jar at build time). */
    public static String builtFor() {
        try (InputStream in = PlatformVersionCheck.class.getResourceAsStream("/io/github/editunit/engine/engine-build.properties")) {
            if (in == null) {
                throw new IllegalStateException("engine-build.properties is missing from the editunit-engine jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("junit.platform.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Judges the versions found (artifact → version; absent artifacts, or classes not loaded from a jar,
     * are left out) against the version the engine is built for. Empty when all are equal to it.
     */
    public static Optional<Verdict> judge(String builtFor, Map<String, String> versions) {
        boolean fatal = false;
        StringBuilder differing = new StringBuilder();
        for (Map.Entry<String, String> e : versions.entrySet()) {
            if (e.getValue().equals(builtFor)) {
                continue;
            }
            fatal |= !major(e.getValue()).equals(major(builtFor));
            differing.append(differing.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        if (differing.length() == 0) {
            return Optional.empty();
        }
        String message = "the hardedit engine is built for JUnit Platform " + builtFor + " but the test class path has "
                + differing + (fatal ? "; it cannot run" : "; the run may fail")
                + ". Import io.github.editunit:editunit-bom (or org.junit:junit-bom:" + builtFor
                + ") in <dependencyManagement> and do not pin junit-platform-* versions yourself";
        return Optional.of(new Verdict(fatal, message));
    }

    private static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    private static Optional<String> versionOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, PlatformVersionCheck.class.getClassLoader());
            Package p = type.getPackage();
            return Optional.ofNullable(p == null ? null : p.getImplementationVersion());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }
}
