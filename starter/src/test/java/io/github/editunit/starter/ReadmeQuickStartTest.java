package io.github.editunit.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The README's quick-start, executed: the files of "Use EditUnit in your project" are copied into an
 * empty directory, {@code mvn -o test} runs there against the local repository (where {@code mvn
 * install} of this build has just put EditUnit's artifacts), and the result must be what the README
 * says: green, every case and method of its verdict table with that verdict, every check reported
 * once by Surefire, Allure results under {@code target/}. Runs in the {@code install} phase (see
 * starter/pom.xml).
 */
class ReadmeQuickStartTest {

    private static final Pattern UNIQUE_ID = Pattern.compile("\\[method:([^\\]]+)\\]/\\[case:[^\\]]*#([^\\]]+)\\]/\\[check:([^\\]]+)\\]");
    private static final List<String> CHECKS = List.of("efficacy", "generalisation", "locality", "non-collapse");

    @TempDir
    static Path workspace;

    static ReadmeQuickStart readme;
    static Path project;
    static MavenRun run;
    static Path oldPlatformProject;
    static MavenRun oldPlatformRun;

    @BeforeAll
    static void runTheQuickStart() throws Exception {
        Path root = Paths.get(System.getProperty("editunit.repo.root", "..")).toAbsolutePath().normalize();
        readme = ReadmeQuickStart.parse(root.resolve("README.md"));
        project = workspace.resolve("model-edits");
        Files.createDirectories(project);
        readme.writeTo(project);
        run = MavenRun.offline(project, workspace.resolve("maven.log"));
        System.err.println("[quickstart] mvn -o test in " + project + ": exit " + run.exitCode() + " after "
                + run.seconds() + " s (log " + run.log() + ")");

        // the same project as a user might get it wrong: no BOM, and an old launcher pinned (what
        // allure-junit-platform alone used to bring)
        oldPlatformProject = workspace.resolve("old-platform");
        Files.createDirectories(oldPlatformProject);
        readme.writeTo(oldPlatformProject);
        Path pom = oldPlatformProject.resolve("pom.xml");
        String version = System.getProperty("editunit.version");
        String text = Files.readString(pom, StandardCharsets.UTF_8)
                .replaceAll("(?s)\\s*<dependencyManagement>.*</dependencyManagement>", "")
                .replace("<artifactId>editunit-starter</artifactId>", "<artifactId>editunit-starter</artifactId>\n"
                        + "      <version>" + version + "</version>")
                .replace("<dependencies>", "<dependencies>\n    <dependency>\n      <groupId>org.junit.platform</groupId>\n"
                        + "      <artifactId>junit-platform-launcher</artifactId>\n      <version>1.10.3</version>\n"
                        + "      <scope>test</scope>\n    </dependency>");
        Files.writeString(pom, text, StandardCharsets.UTF_8);
        oldPlatformRun = MavenRun.offline(oldPlatformProject, workspace.resolve("old-platform.log"));
    }

    @Test
    @DisplayName("the README names a pom.xml, a marker class and a case file, and the versions it gives are this build's")
    void readmeGivesTheThreeFilesAtThisVersion() {
        assertThat(readme.files()).containsKey("pom.xml");
        assertThat(readme.files().keySet()).anyMatch(p -> p.startsWith("src/test/java/") && p.endsWith("Test.java"));
        assertThat(readme.files().keySet()).anyMatch(p -> p.startsWith("src/test/resources/") && p.endsWith(".json"));
        // rules out a README that still shows an older version after a release bump
        String version = System.getProperty("editunit.version");
        assertThat(version).isNotBlank();
        assertThat(readme.files().get("pom.xml")).contains("<version>" + version + "</version>");
        assertThat(readme.methods()).isNotEmpty();
        assertThat(readme.verdicts()).isNotEmpty();
    }

    @Test
    @DisplayName("mvn -o test is green on the first try")
    void buildIsGreen() throws IOException {
        assertThat(run.exitCode()).as("exit code of mvn -o test; log:\n%s", run.tail(80)).isZero();
        assertThat(run.output()).contains("BUILD SUCCESS");
    }

    @Test
    @DisplayName("every case and method has the README's verdict, four checks each, in the Allure results "
            + "(rules out: a verdict table that no longer matches the model, a method that silently did not run)")
    void verdictsAreTheReadmes() throws IOException {
        Path results = project.resolve("target/allure-results");
        Map<String, Map<String, List<String>>> statuses = new HashMap<>(); // case → method → statuses of its checks
        Map<String, Integer> checkCounts = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList()) {
                JsonNode result = json.readTree(f.toFile());
                for (JsonNode label : result.path("labels")) {
                    if (!label.path("name").asText().equals("junit.platform.uniqueid")) {
                        continue;
                    }
                    Matcher m = UNIQUE_ID.matcher(label.path("value").asText());
                    if (m.find()) {
                        statuses.computeIfAbsent(m.group(2), k -> new HashMap<>())
                                .computeIfAbsent(m.group(1), k -> new ArrayList<>())
                                .add(result.path("status").asText());
                        checkCounts.merge(m.group(2) + "/" + m.group(1) + "/" + m.group(3), 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(statuses.keySet()).as("cases in the Allure results").containsExactlyInAnyOrderElementsOf(readme.verdicts().keySet());
        assertThat(checkCounts.values()).as("each check exactly once").allMatch(n -> n == 1);
        readme.verdicts().forEach((caseId, row) -> row.forEach((method, verdict) -> {
            List<String> s = statuses.get(caseId).getOrDefault(method, List.of());
            assertThat(s).as("checks of case %s with %s", caseId, method).hasSize(CHECKS.size());
            if (verdict.equals("passed")) {
                assertThat(s).as("README says case %s with %s passed", caseId, method).containsOnly("passed");
            } else {
                assertThat(verdict).as("verdict cell of case %s, %s", caseId, method).isEqualTo("failed");
                assertThat(s).as("README says case %s with %s failed", caseId, method).contains("failed");
            }
        }));
    }

    @Test
    @DisplayName("Surefire counts every check once: cases × methods × 4 (rules out: containers folded into reruns)")
    void surefireCountsEveryCheckOnce() throws Exception {
        int tests = 0;
        int failures = 0;
        int errors = 0;
        File[] reports = project.resolve("target/surefire-reports").toFile()
                .listFiles((dir, name) -> name.startsWith("TEST-") && name.endsWith(".xml"));
        assertThat(reports).isNotEmpty();
        for (File report : reports) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report).getDocumentElement();
            tests += Integer.parseInt(suite.getAttribute("tests"));
            failures += Integer.parseInt(suite.getAttribute("failures"));
            errors += Integer.parseInt(suite.getAttribute("errors"));
        }
        int expected = readme.verdicts().size() * readme.methods().size() * CHECKS.size();
        assertThat(tests).isEqualTo(expected);
        assertThat(failures + errors).isZero();
        assertThat(run.output()).contains("Tests run: " + expected + ", Failures: 0, Errors: 0");
    }

    @Test
    @DisplayName("Allure results (and EditUnit's run files) go to target/allure-results, not ./allure-results "
            + "(rules out: the starter's allure.properties missing, run files written where Allure does not write)")
    void allureResultsUnderTarget() throws IOException {
        Path results = project.resolve("target/allure-results");
        assertThat(results).isDirectory();
        try (Stream<Path> files = Files.list(results)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith("-result.json"))
                    .contains("environment.properties", "categories.json");
        }
        assertThat(project.resolve("allure-results")).doesNotExist();
    }

    @Test
    @DisplayName("the console has no CUDA-detection WARN and no Allure lifecycle ERROR")
    void consoleIsQuiet() {
        String out = run.output();
        assertThat(out).doesNotContain("Failed to detect GPU count").doesNotContain("AllureLifecycle");
    }

    @Test
    @DisplayName("with an old JUnit Platform launcher pinned and no BOM the build fails with one line naming the "
            + "versions and the fix (rules out: the silent 'Tests run: 0' or a bare NullPointerException)")
    void oldPlatformFailsWithTheFix() {
        assertThat(oldPlatformRun.exitCode()).isNotZero();
        String out = oldPlatformRun.output();
        assertThat(out).contains("[hardedit] the hardedit engine is built for JUnit Platform", "1.10.3", "editunit-bom");
        assertThat(out.lines().filter(l -> l.startsWith("[hardedit] the hardedit engine is built for")).count())
                .as("printed once").isEqualTo(1);
    }

    /** One Maven run in a directory, its output in a log file. */
    record MavenRun(int exitCode, long seconds, Path log) {

        /**
         * {@code mvn -o test}. A machine whose local repository lacks the plugins Maven's defaults use
         * for a new project (compiler, resources) gets them once, online, by a run that compiles
         * without testing; the run asserted on is always the offline one.
         */
        static MavenRun offline(Path project, Path log) throws Exception {
            MavenRun first = mvn(project, log, "-o", "test");
            if (first.exitCode() != 0 && first.output().contains("offline")
                    && first.output().contains("has not been downloaded")) {
                mvn(project, log.resolveSibling("maven-prefetch.log"), "-DskipTests", "test");
                return mvn(project, log, "-o", "test");
            }
            return first;
        }

        static MavenRun mvn(Path project, Path log, String... goals) throws Exception {
            List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-nsu"));
            String repo = System.getProperty("maven.repo.local");
            if (repo != null && !repo.isBlank()) {
                command.add("-Dmaven.repo.local=" + repo);
            }
            command.addAll(List.of(goals));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("mvn " + String.join(" ", goals) + " in " + project
                        + " did not finish in 20 minutes; log " + log);
            }
            return new MavenRun(p.exitValue(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), log);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String tail(int lines) {
            List<String> all = output().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }
}
