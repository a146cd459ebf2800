package io.github.editunit.reports;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** Chooses a reporter by name: {@code allure} (default) or {@code none}. */
public final class Reporters {

    /** System property Allure itself reads for its results directory. */
    public static final String ALLURE_RESULTS_DIRECTORY = "allure.results.directory";

    private Reporters() {}

    /** Allure's JUnit Platform listener: it starts the test results the reporter adds steps to. */
    static final String ALLURE_LISTENER = "io.qameta.allure.junitplatform.AllureJunitPlatform";

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    public static EditReporter create(String name) {
        return create(name, Reporters::present, System.err);
    }

    /**
     * The reporter {@code name}; {@code allure} needs Allure's JUnit Platform listener on the
     * classpath: without it Allure logs an ERROR for every step of every case ("no test case
     * running") and writes no result, so the reporter is off and one line says which dependency to
     * add.
     */
    static EditReporter create(String name, java.util.function.Predicate<String> classPresent,
            java.io.PrintStream err) {
        String n = name == null ? "allure" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "none", "off", "false" -> EditReporter.none();
            case "allure", "", "true", "on" -> {
                if (!classPresent.test("io.qameta.allure.Allure")) {
                    yield EditReporter.none();
                }
                if (!classPresent.test(ALLURE_LISTENER)) {
                    if (WARNED.compareAndSet(false, true)) {
                        err.println("[hardedit] no Allure results: Allure's JUnit Platform listener is not on the test "
                                + "classpath; add the test dependency io.qameta.allure:allure-junit-platform, or set "
                                + "hardedit.reporter=none");
                    }
                    yield EditReporter.none();
                }
                yield new AllureReporter(resultsDirectory());
            }
            default -> throw new IllegalArgumentException("unknown reporter '" + name + "': use allure or none");
        };
    }

    /**
     * The directory Allure writes to, resolved as Allure resolves it: the system property
     * {@code allure.results.directory}, else that key in the first {@code allure.properties} on the class
     * path (editunit-starter ships {@code target/allure-results}), else {@code allure-results}. The run
     * files (categories, environment) must land next to the results Allure's listener writes.
     */
    public static Path resultsDirectory() {
        return Paths.get(io.qameta.allure.util.PropertiesUtils.loadAllureProperties()
                .getProperty(ALLURE_RESULTS_DIRECTORY, "allure-results"));
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Reporters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** For tests: lets the next missing-listener line print again. */
    static void resetWarning() {
        WARNED.set(false);
    }
}
