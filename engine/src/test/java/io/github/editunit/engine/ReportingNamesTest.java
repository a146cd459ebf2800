package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.editunit.engine.descriptor.CheckDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The names and sources the launcher (and so Surefire, Allure and IDEs) sees. Surefire 3.6.1's JUnit
 * Platform provider reports a test whose source is neither a class nor a method (our checks have the case
 * record's file position) under the legacy reporting name of its nearest ancestor container with a
 * {@code ClassSource} as {@code classname}, and under its display name as {@code name}; tests of one class
 * with equal names are folded into one ("Run 1 / Run 2"), and a failed container is reported under its own
 * display name. These tests apply that rule to the real test plan.
 */
class ReportingNamesTest {

    private static TestPlan plan(Class<?>... markers) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request()
                .filters(EngineFilter.includeEngines("hardedit"))
                .configurationParameter("hardedit.reporter", "none")
                .configurationParameter("hardedit.model", System.getProperty("editunit.test.model", "bundled"));
        for (Class<?> m : markers) {
            b.selectors(selectClass(m));
        }
        return LauncherFactory.create().discover(b.build());
    }

    /** What Surefire writes as {@code classname} for a test with a file or classpath-resource source. */
    private static String surefireClassName(TestPlan plan, TestIdentifier test) {
        Optional<TestIdentifier> p = plan.getParent(test);
        while (p.isPresent()) {
            TestIdentifier node = p.get();
            if (node.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                return node.getLegacyReportingName();
            }
            p = plan.getParent(node);
        }
        return null;
    }

    private static List<TestIdentifier> descendants(TestPlan plan) {
        List<TestIdentifier> all = new ArrayList<>();
        plan.getRoots().forEach(r -> all.addAll(plan.getDescendants(r)));
        return all;
    }

    @Test
    void everyCheckIsReportedUnderItsMarkerClassNotUnderItsMethodContainer() {
        TestPlan plan = plan(Suites.TwoMethods.class, Suites.Sequence.class, Suites.VerifyUnedited.class);
        List<TestIdentifier> tests = descendants(plan).stream().filter(TestIdentifier::isTest).toList();
        assertThat(tests).hasSize(16 + 8 + 4);
        for (TestIdentifier t : tests) {
            String marker = t.getUniqueId().contains("TwoMethods") ? Suites.TwoMethods.class.getName()
                    : t.getUniqueId().contains("Sequence") ? Suites.Sequence.class.getName()
                    : Suites.VerifyUnedited.class.getName();
            // rules out a method container with a ClassSource (classname "rome") and a suite whose legacy
            // name is its simple name (classname "TwoMethods")
            assertThat(surefireClassName(plan, t)).as(t.getUniqueId()).isEqualTo(marker);
        }
        // only the marker class's container has a ClassSource: any other would become the classname
        List<String> classSourced = descendants(plan).stream().filter(TestIdentifier::isContainer)
                .filter(c -> c.getSource().filter(ClassSource.class::isInstance).isPresent())
                .map(TestIdentifier::getDisplayName).toList();
        assertThat(classSourced).containsExactlyInAnyOrder("TwoMethods", "Sequence", "VerifyUnedited");
    }

    @Test
    void testAndContainerNamesAreDistinctWithinAMarkerClassSoSurefireSeesNoReruns() {
        TestPlan plan = plan(Suites.TwoMethods.class);
        List<TestIdentifier> all = descendants(plan);
        List<String> testNames = all.stream().filter(TestIdentifier::isTest).map(TestIdentifier::getDisplayName).toList();
        // rules out check names without the method: rome's and c-rome's checks of c1 would share a name
        assertThat(testNames).hasSize(16).doesNotHaveDuplicates();
        // a container that fails is reported under its display name: the case containers must differ too
        List<String> caseNames = all.stream().filter(i -> i.getUniqueId().endsWith("[case:hardedit%2Fcases.json#c1]"))
                .map(TestIdentifier::getDisplayName).toList();
        assertThat(caseNames).containsExactlyInAnyOrder("c1 · Skouvol Jailtavoul → Oracle [rome]",
                "c1 · Skouvol Jailtavoul → Oracle [c-rome]");
        Set<String> containerNames = new HashSet<>();
        all.stream().filter(TestIdentifier::isContainer).forEach(c -> assertThat(containerNames.add(c.getDisplayName()))
                .as("container name %s is unique", c.getDisplayName()).isTrue());
    }

    @Test
    void aCheckIsNamedAfterItsCaseEverywhereAndKeepsTheRecordsPosition() {
        TestPlan plan = plan(Suites.TwoMethods.class, Suites.VerifyUnedited.class);
        for (TestIdentifier t : descendants(plan).stream().filter(TestIdentifier::isTest).toList()) {
            TestIdentifier parent = plan.getParent(t).orElseThrow();
            String owner = parent.getUniqueId().contains("[case:") ? parent.getDisplayName() : CheckDescriptor.EDITED_MODEL;
            String kind = t.getUniqueId().substring(t.getUniqueId().lastIndexOf("[check:") + 7, t.getUniqueId().length() - 1);
            // rules out a check name that does not contain its case's (console and Allure) name
            assertThat(t.getDisplayName()).isEqualTo(kind + " · " + owner);
            // rules out a legacy name that differs from what the console and Allure show (the verify model
            // check has a ClassSource, so Surefire reports it under this name)
            assertThat(t.getLegacyReportingName()).isEqualTo(t.getDisplayName());
            if (parent.getUniqueId().contains("[case:")) {
                // IDEs jump to the record: the resource with line and column is kept
                ClasspathResourceSource src = (ClasspathResourceSource) t.getSource().orElseThrow();
                assertThat(src.getClasspathResourceName()).isEqualTo("hardedit/cases.json");
                assertThat(src.getPosition()).hasValueSatisfying(p -> {
                    assertThat(p.getLine()).isPositive();
                    assertThat(p.getColumn()).hasValueSatisfying(col -> assertThat(col).isPositive());
                });
            }
        }
        Set<String> verifyNames = descendants(plan).stream().filter(TestIdentifier::isTest)
                .filter(t -> t.getUniqueId().contains("VerifyUnedited")).map(TestIdentifier::getDisplayName)
                .collect(Collectors.toSet());
        assertThat(verifyNames).contains("non-collapse · edited model [verify]");
    }
}
