package io.github.editunit.reports;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** Chooses a reporter by name: {@code allure} (default) or {@code none}. */
public final class Reporters {

    /** System property Allure itself reads for its results directory. */
    public static final String ALLURE_RESULTS_DIRECTORY = "allure.results.directory";

    private Reporters() {}

    public static EditReporter create(String name) {
        String n = name == null ? "allure" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "none", "off", "false" -> EditReporter.none();
            case "allure", "", "true", "on" -> allureAvailable() ? new AllureReporter(resultsDirectory()) : EditReporter.none();
            default -> throw new IllegalArgumentException("unknown reporter '" + name + "': use allure or none");
        };
    }

    /** The directory Allure writes to ({@code allure.results.directory}, default {@code allure-results}). */
    public static Path resultsDirectory() {
        return Paths.get(System.getProperty(ALLURE_RESULTS_DIRECTORY, "allure-results"));
    }

    private static boolean allureAvailable() {
        try {
            Class.forName("io.qameta.allure.Allure", false, Reporters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
