package io.github.editunit.framework.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.cli.EvalFactsCommand;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.hardedit.cases.CaseFileWriter;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** eval-facts: stdout carries exactly the JSON document, with the values FactRecall computes. */
class EvalFactsCommandTest {

    @TempDir
    static Path dir;

    static Path modelDir;
    static Path casesFile;

    @BeforeAll
    static void setUp() throws Exception {
        modelDir = dir.resolve("model");
        ModelFiles.save(MetricsFixture.model(), modelDir, null, MetricsFixture.tokenizerDir());
        casesFile = dir.resolve("cases.json");
        CaseFileWriter.writeExtended(MetricsFixture.cases(), casesFile);
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new EvalFactsCommand()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void jsonHasExactlyTheThreeGroupsAndMatchesFactRecall() throws Exception {
        Run r = run("--model", modelDir.toString(), "--cases", casesFile.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("{").endsWith("}"); // nothing but the document on stdout
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(names(root)).containsExactly("edit", "paraphrase", "neighbour");
        for (String g : List.of("edit", "paraphrase", "neighbour")) {
            assertThat(names(root.get(g))).containsExactly("top1", "exact", "pTrue");
        }
        assertThat(r.err()).contains("[eval-facts]");

        LanguageModel m = MetricsFixture.model();
        List<PromptTarget> edit = new ArrayList<>();
        List<PromptTarget> para = new ArrayList<>();
        List<PromptTarget> neigh = new ArrayList<>();
        for (EditCase c : MetricsFixture.cases()) {
            edit.add(new PromptTarget(c.prompt(), c.groundTruth()));
            c.paraphrasePrompts().forEach(p -> para.add(new PromptTarget(p, c.groundTruth())));
            for (NeighbourPrompt n : c.neighbours()) {
                neigh.add(new PromptTarget(n.prompt(), n.groundTruth()));
            }
        }
        check(root.get("edit"), new FactRecall(m).evaluate(edit));
        check(root.get("paraphrase"), new FactRecall(m).evaluate(para));
        check(root.get("neighbour"), new FactRecall(m).evaluate(neigh));
    }

    @Test
    void limitAndTextMode() throws Exception {
        Run r = run("--model", modelDir.toString(), "--cases", casesFile.toString(), "--limit", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("edit").contains("paraphrase").contains("neighbour").contains("top1");
        assertThat(r.out()).doesNotContain("[eval-facts]").doesNotContain("[model]");
        Run j = run("--model", modelDir.toString(), "--cases", casesFile.toString(), "--limit", "1", "--json");
        EditCase first = MetricsFixture.cases().get(0);
        FactRecallResult e = new FactRecall(MetricsFixture.model())
                .evaluate(List.of(new PromptTarget(first.prompt(), first.groundTruth())));
        check(new ObjectMapper().readTree(j.out()).get("edit"), e);
    }

    @Test
    void emptyGroupsGiveNull() throws Exception {
        Path file = dir.resolve("bare.json");
        CaseFileWriter.writeExtended(List.of(MetricsFixture.editCase("9", "Paris", "is located in", "Japan", null,
                List.of(), List.of())), file);
        Run r = run("--model", modelDir.toString(), "--cases", file.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("edit").get("top1").isNull()).isTrue();
        assertThat(root.get("neighbour").get("pTrue").isNull()).isTrue();
        assertThat(r.err()).contains("without ground_truth");
    }

    private static void check(JsonNode node, FactRecallResult expected) {
        assertThat(node.get("top1").asDouble()).isCloseTo(expected.top1(), within(1e-12));
        assertThat(node.get("exact").asDouble()).isCloseTo(expected.exact(), within(1e-12));
        assertThat(node.get("pTrue").asDouble()).isCloseTo(expected.pTrue(), within(1e-6 * expected.pTrue() + 1e-12));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }
}
