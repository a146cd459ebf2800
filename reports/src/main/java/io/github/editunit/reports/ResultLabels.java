package io.github.editunit.reports;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Allure labels of an EditUnit result, so that the report's trees show the test tree:
 * <ul>
 *   <li>Suites tab: {@code parentSuite} = marker class → {@code suite} = case file and method
 *       ({@code cases.json · rome}) → {@code subSuite} = the case ({@code 12 · Baipa → history [rome]}) → its
 *       checks. Allure 2's Suites tab has three grouping levels, so the case file and the method share one.</li>
 *   <li>Behaviors tab: {@code epic} = method → {@code feature} = relation → {@code story} = the case.</li>
 * </ul>
 * Plus {@code method} and {@code model} for filtering. The case name is the engine's case display name, the
 * same name the console and Surefire show.
 */
public final class ResultLabels {

    private ResultLabels() {}

    /**
     * @param suite the marker class (or "case files")
     * @param caseFile the case file's name, or what stands for it ("edited model")
     * @param method the editing method ({@code rome}, {@code verify})
     * @param relation the case's relation, or null
     * @param caseName the case's (or sequence's) display name
     * @param model the model's name or directory
     */
    public static Map<String, String> of(String suite, String caseFile, String method, String relation, String caseName,
            String model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("parentSuite", suite);
        labels.put("suite", fileAndMethod(caseFile, method));
        labels.put("subSuite", caseName);
        labels.put("epic", method);
        labels.put("feature", relation == null || relation.isBlank() ? "(no relation)" : relation);
        labels.put("story", caseName);
        labels.put("method", method);
        labels.put("model", model);
        return labels;
    }

    /** The Suites tab's second level: {@code cases.json · rome}. */
    public static String fileAndMethod(String caseFile, String method) {
        return caseFile + " · " + method;
    }
}
