package io.github.editunit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @Test
    void categoriesAreValidJsonWithTheFourCategories() throws Exception {
        var tree = new ObjectMapper().readTree(Categories.json());
        assertThat(tree).hasSize(4);
        assertThat(tree.get(0).get("name").asText()).isEqualTo("Model collapse");
        assertThat("model collapsed: perplexity rose").matches(tree.get(0).get("messageRegex").asText());
        assertThat(tree.get(3).get("matchedStatuses").get(0).asText()).isEqualTo("broken");
    }

    @Test
    void environmentPropertiesRoundTrip(@TempDir Path dir) throws Exception {
        new AllureReporter(dir).runFinished(Map.of("model", "/m/editunit-tiny", "weights hash", "ab:cd", "device", "cpu ×"));
        Properties p = new Properties();
        try (var in = Files.newInputStream(dir.resolve("environment.properties"))) {
            p.load(in);
        }
        assertThat(p).containsEntry("model", "/m/editunit-tiny").containsEntry("weights hash", "ab:cd")
                .containsEntry("device", "cpu ×");
        assertThat(dir.resolve("categories.json")).exists();
    }

    @Test
    void chartsAreWellFormedSvgWithTheBound() throws Exception {
        String t = SvgCharts.trajectory("ppl", 40, List.of(41.0, 45.0, Double.POSITIVE_INFINITY), 60);
        String b = SvgCharts.beforeAfter("case", 40, 3910, 60);
        for (String svg : List.of(t, b)) {
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(svg).contains("ppl-bound").contains("bound 60");
        }
        assertThat(t).contains("ppl-line").contains("∞");
        assertThat(b).contains("after 3,910");
    }

    @Test
    void noneReporterIgnoresEverything() {
        EditReporter r = Reporters.create("none");
        r.labels(Map.of("suite", "x"));
        r.step("apply", true);
        assertThat(r).isSameAs(EditReporter.none());
    }
}
