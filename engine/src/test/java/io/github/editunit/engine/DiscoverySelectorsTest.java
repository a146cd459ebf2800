package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;

import io.github.editunit.engine.descriptor.CaseDescriptor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Discovery only (no model is loaded): case files by file, directory and classpath resource; sharding. */
class DiscoverySelectorsTest {

    private static List<CaseDescriptor> cases(EngineDiscoveryResults d) {
        return d.getEngineDescriptor().getDescendants().stream().filter(CaseDescriptor.class::isInstance)
                .map(CaseDescriptor.class::cast).toList();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = DiscoverySelectorsTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void caseFilesAreFoundByFileDirectoryAndClasspathResourceWithTheirRecordPositions(@TempDir Path dir)
            throws Exception {
        String json = resource("hardedit/cases.json");
        Path single = Files.writeString(dir.resolve("single.json"), json);
        Path sub = Files.createDirectories(dir.resolve("more"));
        Files.writeString(sub.resolve("a.json"), json.replace("\"c1\"", "\"a1\"").replace("\"c2\"", "\"a2\""));
        Files.writeString(sub.resolve("notes.txt"), "not a case file");

        EngineDiscoveryResults d = EngineTestKit.engine("hardedit")
                .selectors(selectFile(single.toString()), selectDirectory(sub.toString()),
                        selectClasspathResource("hardedit/cases.json"))
                .configurationParameter("hardedit.methods", "rome").discover();
        assertThat(d.getDiscoveryIssues()).isEmpty();
        List<CaseDescriptor> found = cases(d);
        assertThat(found.stream().map(c -> c.fileName() + "#" + c.editCase().caseId()))
                .containsExactlyInAnyOrder("single.json#c1", "single.json#c2", "a.json#a1", "a.json#a2",
                        "cases.json#c1", "cases.json#c2");
        CaseDescriptor fromFile = found.stream().filter(c -> c.fileName().equals("single.json")
                && c.editCase().caseId().equals("c2")).findFirst().orElseThrow();
        FileSource src = (FileSource) fromFile.getSource().orElseThrow();
        assertThat(src.getFile().toPath()).isEqualTo(single);
        assertThat(src.getPosition().orElseThrow().getLine()).isEqualTo(3);
        CaseDescriptor fromClasspath = found.stream().filter(c -> c.fileName().equals("cases.json")
                && c.editCase().caseId().equals("c1")).findFirst().orElseThrow();
        assertThat(fromClasspath.getSource().orElseThrow()).isInstanceOf(ClasspathResourceSource.class);
        // every case has its four checks
        assertThat(found).allSatisfy(c -> assertThat(c.getChildren()).hasSize(4));
    }

    @Test
    void shardsPartitionTheCasesOfARunDeterministically(@TempDir Path dir) throws Exception {
        String record = resource("hardedit/cases.json").lines().filter(l -> l.contains("\"c1\"")).findFirst()
                .orElseThrow().trim().replaceAll(",$", "");
        String many = IntStream.range(0, 30).mapToObj(i -> record.replace("\"c1\"", "\"s" + i + "\""))
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        Path file = Files.writeString(dir.resolve("many.json"), many);
        Set<String> all = new HashSet<>();
        int total = 0;
        for (int shard = 0; shard < 3; shard++) {
            List<String> ids = cases(EngineTestKit.engine("hardedit").selectors(selectFile(file.toString()))
                    .configurationParameter("hardedit.shard", shard + "/3").discover())
                    .stream().map(c -> c.editCase().caseId()).toList();
            List<String> again = cases(EngineTestKit.engine("hardedit").selectors(selectFile(file.toString()))
                    .configurationParameter("hardedit.shard", shard + "/3").discover())
                    .stream().map(c -> c.editCase().caseId()).toList();
            assertThat(again).isEqualTo(ids);
            assertThat(ids).isNotEmpty().hasSizeLessThan(30);
            total += ids.size();
            all.addAll(ids);
        }
        assertThat(total).isEqualTo(30);
        assertThat(all).hasSize(30);
    }

    @Test
    void aMarkerClassIsAContainerWithItsClassAsSource() {
        EngineDiscoveryResults d = EngineTestKit.engine("hardedit").selectors(selectClass(Suites.TwoMethods.class))
                .discover();
        TestDescriptor suite = d.getEngineDescriptor().getChildren().iterator().next();
        assertThat(suite.getSource().orElseThrow()).isEqualTo(
                org.junit.platform.engine.support.descriptor.ClassSource.from(Suites.TwoMethods.class));
        assertThat(cases(d)).hasSize(4); // 2 cases × 2 methods
    }
}
