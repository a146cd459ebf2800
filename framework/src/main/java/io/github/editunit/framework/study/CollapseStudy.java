package io.github.editunit.framework.study;

import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.framework.runtime.RunInterruptedException;
import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.diagnostics.PreCheckSample;
import io.github.editunit.framework.diagnostics.ResidualNormProfile;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.EditSequence;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.RomeEditor;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.FactRecall;
import io.github.editunit.framework.metrics.PromptTarget;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.world.Fact;
import io.github.editunit.hardedit.world.FactWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The collapse study on a model with EditUnit's suite layout ({@code suites/}): every single-edit
 * case under each ROME key mode (perplexity ratio, efficacy, denominator, first-token flag,
 * downstream recall of untouched facts), sequential editing with each method (perplexity after
 * every edit), the correlation between perplexity ratio and downstream drop, and the
 * first-position activation profile. Writes a Markdown report and SVG charts.
 */
public final class CollapseStudy {

    /**
     * Study size.
     *
     * @param singleCases single-edit cases per ROME mode (0 = all)
     * @param sequentialSteps edits per sequential run
     * @param sequentialMethods methods run sequentially
     * @param pplSentences perplexity sentences
     * @param recallFacts untouched facts for the downstream score
     * @param bound the perplexity bound used to call a case collapsed
     */
    public record Options(int singleCases, int sequentialSteps, List<String> sequentialMethods, int pplSentences,
            int recallFacts, CollapseBound bound) {
        public static Options defaults() {
            return new Options(0, 100, List.of("rome", "c-rome", "memit", "ft-l"), 50, 300, CollapseBound.ratio(1.5));
        }
    }

    /** One measured single edit. */
    record Row(String mode, EditCase c, CaseEvaluation ev, double recall, double seconds) {}

    private final Path modelDir;
    private final Options options;
    private final StatisticsCache cache;

    public CollapseStudy(Path modelDir, Options options, StatisticsCache cache) {
        this.modelDir = modelDir;
        this.options = options;
        this.cache = cache;
    }

    public void run(Path markdown) throws IOException {
        Path suites = modelDir.resolve("suites");
        List<EditCase> single = CaseFileReader.readStrict(suites.resolve("single-edit.extended.json"));
        if (options.singleCases() > 0 && options.singleCases() < single.size()) {
            single = single.subList(0, options.singleCases());
        }
        List<EditCase> sequential = CaseFileReader.readStrict(suites.resolve("sequential-100.extended.json"));
        sequential = sequential.subList(0, Math.min(options.sequentialSteps(), sequential.size()));
        FactWorld world = FactWorld.load(suites.resolve("facts.json"));
        List<String> ppl = SentenceCorpus.read(suites.resolve("heldout-ppl.json")).limit(options.pplSentences())
                .sentences();
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            EditingContext ctx = new EditingContext(model, modelDir, cache, null);
            EditorFactory factory = new EditorFactory(ctx);
            EditEvaluator evaluator = new EditEvaluator(model, ppl, 10, options.bound());
            double baselinePpl = evaluator.baseline();
            String baseHash = model.parameters().contentHash();
            List<Fact> facts = new ArrayList<>(world.facts());
            Collections.shuffle(facts, new Random(7));
            FactRecall recall = new FactRecall(model, 64);

            // the untouched facts of each case: the same list under every mode and for the baseline
            Map<String, List<PromptTarget>> untouchedByCase = new LinkedHashMap<>();
            for (EditCase c : single) {
                untouchedByCase.put(c.caseId(), untouched(facts, Set.of(c.subject()), options.recallFacts()));
            }
            List<Row> rows = new ArrayList<>();
            double[] preCheckThresholds = {Double.NaN, Double.NaN};
            for (String mode : List.of("rome", "c-rome", "p-rome")) {
                Editor editor = factory.create(mode, null, Map.of());
                if (editor instanceof RomeEditor rome && mode.equals("rome")) {
                    preCheckThresholds[0] = rome.hyperparameters().collapseDenominatorRatio();
                    preCheckThresholds[1] = rome.hyperparameters().collapseUpdateRatio();
                }
                int i = 0;
                for (EditCase c : single) {
                    List<PromptTarget> untouched = untouchedByCase.get(c.caseId());
                    long t0 = System.nanoTime();
                    try (EditOutcome o = editor.apply(model, EditRequests.of(c))) {
                        CaseEvaluation ev = evaluator.evaluate(c, o, null, true);
                        double r = recall.evaluate(untouched).top1();
                        rows.add(new Row(mode, c, ev, r, (System.nanoTime() - t0) / 1e9));
                    }
                    if (!model.parameters().contentHash().equals(baseHash)) {
                        throw new IllegalStateException("weights not restored after " + c.caseId());
                    }
                    if (++i % 20 == 0) {
                        System.err.printf(Locale.ROOT, "[study] %s %d/%d%n", mode, i, single.size());
                    }
                }
            }
            Map<String, Double> baselineRecall = new LinkedHashMap<>();
            for (EditCase c : single) {
                baselineRecall.put(c.caseId(), recall.evaluate(untouchedByCase.get(c.caseId())).top1());
            }

            Map<String, List<Double>> trajectories = new LinkedHashMap<>();
            Map<String, List<Double>> recallTrajectories = new LinkedHashMap<>();
            Map<String, List<PreCheckSample>> sequentialPreCheck = new LinkedHashMap<>();
            Set<String> sequentialSubjects = new HashSet<>();
            sequential.forEach(c -> sequentialSubjects.add(c.subject()));
            List<PromptTarget> seqRecallFacts = untouched(facts, sequentialSubjects, options.recallFacts());
            double seqBaseRecall = recall.evaluate(seqRecallFacts).top1();
            for (String method : options.sequentialMethods()) {
                Editor editor = factory.create(method, null, Map.of());
                List<Double> traj = new ArrayList<>();
                List<Double> rec = new ArrayList<>();
                List<Map<String, Object>> stepDiagnostics = new ArrayList<>();
                try (EditSequence seq = new EditSequence(model, editor)) {
                    for (EditCase c : sequential) {
                        Map<String, Object> diagnostics = null;
                        try {
                            EditOutcome o = seq.apply(EditRequests.of(c));
                            diagnostics = o.diagnostics() == null ? null : o.diagnostics().toMap();
                        } catch (RunInterruptedException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            System.err.println("[study] " + method + " " + c.caseId() + ": " + e.getMessage());
                        }
                        stepDiagnostics.add(diagnostics);
                        var r = evaluator.perplexityNow();
                        traj.add(r.nonFinite() > 0 ? Double.POSITIVE_INFINITY : r.ppl());
                        rec.add(recall.evaluate(seqRecallFacts).top1());
                        if (traj.size() % 20 == 0) {
                            System.err.printf(Locale.ROOT, "[study] sequential %s %d/%d ppl %.3f%n", method,
                                    traj.size(), sequential.size(), traj.get(traj.size() - 1));
                        }
                    }
                }
                if (!model.parameters().contentHash().equals(baseHash)) {
                    throw new IllegalStateException("weights not restored after sequential " + method);
                }
                trajectories.put(method, traj);
                recallTrajectories.put(method, rec);
                List<PreCheckSample> samples = new ArrayList<>();
                for (int i = 0; i < traj.size(); i++) {
                    // damaged at this step: either bound, as the engine's sequential checks judge it
                    boolean damaged = options.bound().violated(baselinePpl, traj.get(i))
                            || CanaryBound.DEFAULT.violated(seqBaseRecall, rec.get(i));
                    samples.add(PreCheckSample.of(method + " step " + (i + 1), stepDiagnostics.get(i), damaged));
                }
                sequentialPreCheck.put(method, samples);
            }

            List<int[]> texts = new ArrayList<>();
            for (String s : ppl) {
                texts.add(model.tokenizer().encodeInput(s.strip()));
            }
            double[] ratios = ResidualNormProfile.firstPositionRatios(model, texts);
            Path dir = markdown.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String chartName = markdown.getFileName().toString().replaceAll("\\.md$", "") + "-sequential.svg";
            SvgLineChart chart = new SvgLineChart("Perplexity during sequential editing ("
                    + modelDir.toAbsolutePath().normalize().getFileName() + ")", "edits",
                    "perplexity (ME-PPL recipe, log scale)", true);
            trajectories.forEach(chart::series);
            chart.reference(options.bound().limit(baselinePpl), "bound " + options.bound());
            AtomicFiles.writeString(dir.resolve(chartName), chart.render());
            // written atomically: an interrupted study never leaves a half-written report
            AtomicFiles.writeString(markdown, new CollapseStudyReport(modelDir.toString(), markdown.toString(), model,
                    single.size(), sequential.size(), baselinePpl, rows, baselineRecall, trajectories,
                    recallTrajectories, seqBaseRecall, sequentialPreCheck, preCheckThresholds, ratios, chartName, options).render());
        }
    }

    /** The first {@code n} facts whose subject is none of {@code edited}. */
    private static List<PromptTarget> untouched(List<Fact> facts, Set<String> edited, int n) {
        List<PromptTarget> out = new ArrayList<>();
        for (Fact f : facts) {
            if (!edited.contains(f.subject())) {
                out.add(new PromptTarget(f.editPrompt(), f.object()));
                if (out.size() == n) {
                    break;
                }
            }
        }
        return out;
    }
}
