package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same inputs, same verdicts: 20 ROME edits of the bundled model (the 20 cases of
 * {@code single-edit.json} from index 5, which include first-token subjects) and a MEMIT batch of
 * 5, run twice in this JVM and once more in a forked JVM, give bit-identical results: the weights
 * hash after each edit (which fixes δ and ΔW exactly), ‖δ‖, ‖ΔW‖, ES/PS/NS and the perplexity after
 * the edit.
 *
 * <p>The second run in this JVM has a thread churning garbage and direct buffers beside it, the
 * condition in which the value search used to return NaN gradients at random (many edits in one
 * busy JVM, as under Surefire). Before the fix that run differed from the first (a search cut
 * short, ES 0); a test that only compared verdicts would miss a changed δ that still passes, which
 * is why every line carries the weights hash and the exact bits of the norms.
 */
class EditReproducibilityTest {

    static final int FIRST = 5;
    static final int ROME_CASES = 20;
    static final int MEMIT_BATCH = 5;

    @TempDir
    Path tmp;

    @Test
    void twentyRomeEditsAndAMemitBatchAreBitIdenticalAcrossRunsAndJvms() throws Exception {
        Path stats = tmp.resolve("stats");
        List<String> first = Probe.run(stats);
        List<String> second;
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            long sink = 0;
            while (!stop.get()) {
                byte[] heap = new byte[1 << 18];
                java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64);
                sink += heap.length + direct.capacity();
            }
            if (sink == 42) {
                System.out.println(sink);
            }
        }, "garbage-churn");
        churn.setDaemon(true);
        churn.start();
        try {
            second = Probe.run(stats);
        } finally {
            stop.set(true);
            churn.join();
        }
        List<String> forked = forkedRun(stats);

        assertThat(first).hasSize(ROME_CASES + MEMIT_BATCH);
        assertThat(first.subList(0, ROME_CASES)).allSatisfy(line -> assertThat(line).doesNotContain("NaN"));
        assertThat(second).as("second run in this JVM, with garbage churn").containsExactlyElementsOf(first);
        assertThat(forked).as("run in a forked JVM").containsExactlyElementsOf(first);
        // the edits are real: every ROME line has its own weights hash
        assertThat(first.subList(0, ROME_CASES).stream().map(l -> l.split(" ")[2]).distinct()).hasSize(ROME_CASES);
    }

    private List<String> forkedRun(Path stats) throws IOException, InterruptedException {
        Path out = tmp.resolve("forked.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), stats.toString(), out.toString());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("forked.log").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("forked run finished").isTrue();
        assertThat(p.exitValue()).as("forked run exit; log:\n%s", Files.readString(tmp.resolve("forked.log")))
                .isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /** Runs the edits and prints one line per case: method, case, weights hash after, exact norms and scores. */
    public static final class Probe {

        public static void main(String[] args) throws Exception {
            Files.write(Path.of(args[1]), run(Path.of(args[0])), StandardCharsets.UTF_8);
        }

        static List<String> run(Path statsDir) throws IOException {
            Path dir = BundledModels.tiny();
            List<EditCase> cases = CaseFileReader.readStrict(dir.resolve("suites/single-edit.json"))
                    .subList(FIRST, FIRST + ROME_CASES);
            List<String> sentences = SentenceCorpus.read(dir.resolve("suites/heldout-ppl.json")).limit(10).sentences();
            List<String> lines = new ArrayList<>();
            try (LanguageModel model = ModelFiles.load(dir)) {
                EditingContext ctx = new EditingContext(model, dir, new StatisticsCache(statsDir), null);
                EditEvaluator evaluator = new EditEvaluator(model, sentences, 10, CollapseBound.parse("x1.5"));
                evaluator.baseline();
                Editor rome = new EditorFactory(ctx).create("rome", null, Map.of());
                for (EditCase c : cases) {
                    LocalitySnapshot before = evaluator.beforeEdit(c);
                    try (EditOutcome o = rome.apply(model, EditRequests.of(c))) {
                        lines.add(line("rome", c, o, evaluator.evaluate(c, o, before, true)));
                        assertRestored(o);
                    }
                }
                Editor memit = new EditorFactory(ctx).create("memit", null, Map.of());
                List<EditCase> batch = cases.subList(0, MEMIT_BATCH);
                List<LocalitySnapshot> before = new ArrayList<>();
                batch.forEach(c -> before.add(evaluator.beforeEdit(c)));
                try (EditOutcome o = memit.apply(model, EditRequests.of(batch))) {
                    for (int i = 0; i < batch.size(); i++) {
                        lines.add(line("memit", batch.get(i), o, evaluator.evaluate(batch.get(i), o, before.get(i),
                                i == 0)));
                    }
                    assertRestored(o);
                }
            }
            return lines;
        }

        private static void assertRestored(EditOutcome o) {
            if (!o.restore()) {
                throw new IllegalStateException("weights not restored after " + o.requests());
            }
        }

        private static String line(String method, EditCase c, EditOutcome o, CaseEvaluation ev) {
            Map<String, Double> d = o.diagnostics().values();
            return String.join(" ", method, c.caseId(), o.hashAfter(),
                    bits(d.get("deltaNorm")), bits(d.get("updateNorm")), bits(ev.es()), bits(ev.ps()), bits(ev.ns()),
                    bits(ev.pplAfter()), String.valueOf(ev.collapsed()));
        }

        private static String bits(Double v) {
            return v == null ? "-" : Double.toHexString(v);
        }
    }
}
