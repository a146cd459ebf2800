package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code editunit mine} end to end on the bundled model. */
class MineCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("mines three candidates, ranks them hardest first, writes a suite the case reader accepts (in the "
            + "ranking's order, tagged with the measured ratios) and a report with the pre-check table "
            + "(rules out: a suite in input order, untagged cases, the model left edited)")
    void minesTheBundledModel() throws Exception {
        Path suite = dir.resolve("mined.json");
        String cases = BundledModels.tiny().resolve("suites/single-edit.json").toString();
        CliRun run = CliRun.execute("mine", "--model", "bundled", "--cases", cases, "--limit", "3", "--top", "3",
                "--ppl-limit", "10", "--out", suite.toString(), "--json");
        assertThat(run.rc()).as(run.err()).isZero();
        JsonNode doc = run.json();
        assertThat(doc.path("candidates").asInt()).isEqualTo(3);
        JsonNode ranking = doc.path("ranking");
        List<EditCase> written = CaseFileReader.readStrict(suite);
        assertThat(written).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(written.get(i).caseId()).isEqualTo(ranking.get(i).path("caseId").asText());
            assertThat(written.get(i).tags()).anyMatch(t -> t.startsWith("ppl-ratio:"))
                    .anyMatch(t -> t.startsWith("canary-drop:"));
        }
        // without damage, ranked by perplexity ratio
        if (!ranking.get(0).path("collapsed").asBoolean() && !ranking.get(0).path("knowledgeLost").asBoolean()) {
            assertThat(ranking.get(0).path("pplRatio").asDouble()).isGreaterThanOrEqualTo(ranking.get(1).path("pplRatio").asDouble());
        }
        String report = Files.readString(dir.resolve("mined.md"));
        // the command as typed, so the report can be rerun anywhere (rules out: the bundled model's cache directory)
        assertThat(report).contains("# Mined hard cases", "`./editunit mine --model bundled --cases ", "Model `bundled`",
                "## The pre-check as a classifier",
                "shipped pre-check (collapseProne)");
        assertThat(run.err()).contains("[mine] 3/3");
    }
}
