package io.github.editunit.framework.cli;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.EditSequence;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.CanaryMeasurement;
import io.github.editunit.framework.canary.CanarySetResolver;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.framework.canary.KnowledgeRetention;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.WeightPatch;
import io.github.editunit.framework.runtime.RunInterruptedException;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.stats.StatsProvenance;
import io.github.editunit.framework.stats.StatsSampling;
import io.github.editunit.framework.stats.StatsSources;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.text.Counts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "edit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Apply edits, measure efficacy, generalisation, locality and perplexity, restore.")
final class EditCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--cases", required = true, paramLabel = "FILE")
    Path cases;

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "rome, c-rome, p-rome, memit, ft-l, ft")
    String method;

    @Option(names = "--sequential", description = "Keep each edit and apply the next on top (restored at the end).")
    boolean sequential;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N", description = "Cases per edit call (MEMIT batches).")
    int batch;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use at most N cases.")
    int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "N", description = "Skip the first N cases.")
    int offset;

    @Option(names = "--ppl-corpus", paramLabel = "FILE",
            description = "Perplexity corpus (ME-PPL json or text). Default: <model>/suites/heldout-ppl.json.")
    Path pplCorpus;

    @Option(names = "--ppl-limit", defaultValue = "50", paramLabel = "N",
            description = "Use the corpus's first N sentences (default 50). This is not the paper's ME-PPL_50 file (a"
                    + " stratified 50-sentence sample): pass --ppl-corpus ME-PPL_50.json for that.")
    int pplLimit;

    @Option(names = "--ppl-bound", defaultValue = "x1.5", paramLabel = "BOUND",
            description = "Collapse bound: ratio (x1.5), absolute (abs:200), or two-sided (x0.5..x1.5: a fall below ×0.5 fails too).")
    String pplBound;

    @Option(names = "--canaries", paramLabel = "SOURCE",
            description = "Knowledge canaries: facts the edits must not touch, measured before and after: a canary file, "
                    + "'world' (300 facts of <model>/suites/facts.json whose subjects no case edits) or 'neighbours' (the cases' neighbourhood prompts).")
    String canaries;

    @Option(names = "--canary-bound", defaultValue = "drop:0.1", paramLabel = "BOUND",
            description = "drop:D (recall may fall by at most D) or min:M (recall must stay ≥ M); default drop:0.1.")
    String canaryBound;

    /** The canaries {@code --canaries} names, read by {@link #checkOptions} before the model loads. */
    private io.github.editunit.hardedit.canary.CanarySet canarySet;

    @Option(names = "--no-ppl", description = "Skip perplexity after each edit.")
    boolean noPpl;

    @Option(names = "--hparams", paramLabel = "FILE|DIR", description = "Hyperparameter JSON, or a directory of them "
            + "(<method>.json, rome.json for the ROME modes; a model directory stands for its editunit-hparams/). "
            + "Default: the model's editunit-hparams/, else the catalog's entry.")
    Path hparams;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a hyperparameter (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "Shipped hyperparameter profile: reference (ROME/MEMIT repositories, the default) or seed (the"
                    + " seed repository's yaml: C = I for ROME, seed-word templates, no test prefix).")
    String profile;

    @Option(names = "--stats-corpus", paramLabel = "FILE", description = "Corpus for C (default <model>/stats-corpus.txt).")
    Path statsCorpus;

    @Option(names = "--stats-dir", paramLabel = "DIR", description = "Statistics cache directory.")
    Path statsDir;

    @Option(names = "--stats-file", split = ",", paramLabel = "[L=]NPZ",
            description = "Published statistics (.npz, ROME's layout) for a layer, imported into the cache on the fly "
                    + "and used instead of the corpus for that layer (repeatable or comma-separated; without L= the "
                    + "layer is read from ROME's name, e.g. transformer.h.17.mlp.c_proj_float32_mom2_100000.npz). "
                    + "Same as -Dhardedit.stats.file.")
    List<String> statsFiles = new ArrayList<>();

    @Option(names = "--stats-sample", defaultValue = "first", paramLabel = "first|random[:SEED]",
            description = "Which texts of the statistics corpus computed C uses: the first n (default) or a seeded "
                    + "random n (ROME's random_sample; seed 1 unless given). Same as -Dhardedit.stats.sample.")
    String statsSample;

    @Option(names = "--out", paramLabel = "PATCH", description = "Write the edit as a safetensors weight patch.")
    Path out;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<EditCase> used = casesToEdit();
        Path pplFile = pplCorpus != null ? pplCorpus : modelOptions.model.resolve("suites/heldout-ppl.json");
        checkOptions(used, pplFile);
        CollapseBound bound = CollapseBound.parse(pplBound);

        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> batches = new ArrayList<>();
        double pplBefore;
        CanaryMeasurement canaryBefore;
        String canaryName = null;
        boolean restoredAll = true;
        boolean bos;
        String bosToken;
        try (LanguageModel model = modelOptions.load()) {
            bos = model.tokenizer().addsBos();
            bosToken = model.tokenizer().bosToken();
            StatisticsCache cache = statsDir != null ? new StatisticsCache(statsDir) : StatisticsCache.atDefaultLocation();
            StatsSources sources = statsSources();
            importPublished(sources, model, cache);
            EditingContext ctx = new EditingContext(model, modelOptions.model, cache, statsCorpus, sources);
            Map<String, String> settings = new LinkedHashMap<>(overrides);
            if (profile != null) {
                settings.put(HyperparameterCatalog.PROFILE, profile);
            }
            Editor editor = new EditorFactory(ctx).create(method, hparams, settings);
            List<String> sentences = noPpl ? List.of() : SentenceCorpus.read(pplFile).limit(pplLimit).sentences();
            EditEvaluator evaluator = new EditEvaluator(model, sentences, 10, bound);
            pplBefore = noPpl ? Double.NaN : evaluator.baseline();
            KnowledgeCanaries canarySet = this.canarySet == null ? null : new KnowledgeCanaries(this.canarySet);
            CanaryBound cBound = CanaryBound.parse(canaryBound);
            canaryBefore = canarySet == null ? null : canarySet.measure(model);
            if (canarySet != null) {
                canaryName = canarySet.set().name();
                System.err.printf(Locale.ROOT, "[edit] canaries: %d facts (%s), recall %.2f, mean log-probability %.2f (%.1fs)%n",
                        canaryBefore.facts(), canaryName, canaryBefore.recall(), canaryBefore.meanLogProb(), canaryBefore.seconds());
            }
            String baseHash = model.parameters().contentHash();
            EditSequence sequence = new EditSequence(model, editor);
            int done = 0;
            for (int from = 0; from < used.size(); from += batch) {
                List<EditCase> chunk = used.subList(from, Math.min(used.size(), from + batch));
                List<LocalitySnapshot> before = new ArrayList<>();
                for (EditCase c : chunk) {
                    before.add(evaluator.beforeEdit(c));
                }
                EditOutcome outcome;
                try {
                    outcome = sequential ? sequence.apply(EditRequests.of(chunk)) : editor.apply(model, EditRequests.of(chunk));
                } catch (RunInterruptedException e) {
                    throw e; // SIGINT/SIGTERM: the weights were restored; stop here (exit 130, nothing printed)
                } catch (RuntimeException e) {
                    for (EditCase c : chunk) {
                        rows.add(errorRow(c, String.valueOf(e.getMessage())));
                    }
                    done += chunk.size();
                    System.err.printf("[edit] %s%s: ERROR %s%n", chunk.get(0).caseId(),
                            chunk.size() > 1 ? " (batch of " + chunk.size() + ")" : "", e.getMessage());
                    continue;
                }
                // the batch's time, once; each case reports its share (editSeconds = batch time / batch size)
                int batchIndex = batches.size();
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("firstCaseId", chunk.get(0).caseId());
                b.put("cases", chunk.size());
                b.put("editSeconds", outcome.seconds());
                batches.add(b);
                double pplAfter = Double.NaN;
                for (int i = 0; i < chunk.size(); i++) {
                    CaseEvaluation ev;
                    try {
                        ev = evaluator.evaluate(chunk.get(i), outcome, before.get(i), !noPpl && i == 0);
                    } catch (RuntimeException e) {
                        rows.add(errorRow(chunk.get(i), "could not measure: " + e.getMessage()));
                        done++;
                        System.err.printf("[edit] %s: ERROR could not measure: %s%n", chunk.get(i).caseId(), e.getMessage());
                        continue;
                    }
                    if (i == 0) {
                        pplAfter = ev.pplAfter();
                    } else if (!noPpl) {
                        ev = ev.withPplAfter(pplAfter, evaluator.bound().violated(ev.pplBefore(), pplAfter));
                    }
                    Map<String, Object> row = row(chunk.get(i), ev, ctx.statisticsProvenance());
                    row.put("batch", batchIndex);
                    rows.add(row);
                    done++;
                    String ppl = noPpl ? "perplexity skipped"
                            : String.format(Locale.ROOT, "ppl %.3f → %.3f", pplBefore, ev.pplAfter());
                    System.err.printf(Locale.ROOT, "[edit] %d/%d %s %s: ES %.0f PS %.2f NS %.2f %s%s (%.1fs)%n",
                            done, used.size(), method, chunk.get(i).caseId(), ev.es(), ev.ps(), ev.ns(), ppl,
                            ev.collapsed() ? " COLLAPSED" : "", ev.editSeconds() + ev.evalSeconds());
                }
                if (canarySet != null) {
                    // the edited model (before restore): one batched pass over the canaries, shared by the chunk
                    CanaryMeasurement after = canarySet.measure(model);
                    KnowledgeRetention kept = new KnowledgeRetention(canaryName, canaryBefore, after, cBound);
                    for (Map<String, Object> r : rows.subList(rows.size() - chunk.size(), rows.size())) {
                        if (r.containsKey("error")) {
                            continue;
                        }
                        r.put("canaryRecall", Json.number(after.recall()));
                        r.put("canaryMeanLogProb", Json.number(after.meanLogProb()));
                        r.put("canaryRetained", kept.retained());
                        r.put("canarySeconds", after.seconds());
                    }
                    if (!kept.retained()) {
                        System.err.println("[edit] knowledge lost: " + kept.sentence(sequential
                                ? done + " sequential " + method + " edits" : "editing " + chunk.get(0).caseId()
                                        + (chunk.size() > 1 ? " (batch of " + chunk.size() + ")" : "") + " with " + method));
                    }
                }
                if (sequential) {
                    continue;
                } else if (out != null) {
                    writePatch(outcome, model, baseHash, used);
                    restoredAll &= outcome.restore();
                } else {
                    restoredAll &= outcome.restore();
                }
            }
            if (sequential) {
                if (out != null && !sequence.applied().isEmpty()) {
                    writeSequentialPatch(sequence.applied(), model, baseHash, used);
                }
                restoredAll = sequence.restoreAll();
            }
            ctx.statisticsProvenance().forEach((l, p) -> System.err.printf("[stats] layer %d: %s%n", l, p.summary()));
        }
        Verdict verdict = Verdict.of(rows, restoredAll);
        print(rows, batches, verdict, pplBefore, restoredAll, bos, bosToken, canaryBefore, canaryName);
        return verdict.report();
    }

    /** The cases the options select; none is an input error naming the file and the options. */
    private List<EditCase> casesToEdit() {
        if (offset < 0 || limit < 0) {
            throw new InputException((offset < 0 ? "--offset" : "--limit") + " must not be negative");
        }
        List<EditCase> all = CaseFileReader.readStrict(cases);
        if (offset >= all.size()) {
            throw new InputException("--offset " + offset + " skips all " + all.size() + " cases of " + cases);
        }
        all = all.subList(offset, all.size());
        return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
    }

    /** Every option checked before the model loads: a mistake costs a moment, not a model load. */
    private void checkOptions(List<EditCase> used, Path pplFile) {
        if (!EditorFactory.METHODS.contains(method.toLowerCase(Locale.ROOT))) {
            throw new InputException("--method " + method + ": unknown method; valid methods are "
                    + String.join(", ", EditorFactory.METHODS));
        }
        if (batch < 1) {
            throw new InputException("--batch must be at least 1, got " + batch);
        }
        if (out != null && !sequential && used.size() > batch) {
            throw new InputException("--out writes one edit: use --sequential or --batch " + used.size()
                    + " to patch several cases");
        }
        try {
            CollapseBound.parse(pplBound);
        } catch (RuntimeException e) {
            throw new InputException("--ppl-bound " + pplBound + ": expected a ratio (x1.5), an absolute bound (abs:200) "
                    + "or a two-sided one (x0.5..x1.5): " + e.getMessage());
        }
        try {
            CanaryBound.parse(canaryBound);
        } catch (IllegalArgumentException e) {
            throw new InputException("--canary-bound: " + e.getMessage());
        }
        if (canaries != null) {
            try {
                canarySet = CanarySetResolver.resolve(canaries, used, cases.getFileName().toString(), modelOptions.model);
            } catch (RuntimeException e) { // a missing file, a malformed one (file:line:field), no facts.json
                throw new InputException("--canaries " + canaries + ": " + e.getMessage());
            }
        }
        if (!noPpl && !Files.isRegularFile(pplFile)) {
            throw new InputException(pplFile + " not found: give --ppl-corpus or --no-ppl");
        }
        requireFile(statsCorpus, "--stats-corpus");
        statsSources();
        if (hparams != null && Files.isDirectory(hparams)) {
            // a directory of tuned files (or a model directory with editunit-hparams/): the method's file must be there
            if (io.github.editunit.framework.editing.HyperparameterCatalog.fileInDirectory(hparams, method) == null) {
                throw new InputException("--hparams " + io.github.editunit.framework.editing.HyperparameterCatalog
                        .missingInDirectory(hparams, method));
            }
        } else {
            requireFile(hparams, "--hparams");
        }
        modelOptions.check();
    }

    private static void requireFile(Path file, String option) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new InputException(option + " " + file + ": " + (Files.isDirectory(file) ? "is a directory, not a file"
                    : "file not found"));
        }
    }

    /**
     * How the run went: cases that errored (the edit or its measurement threw), cases that failed
     * (collapsed: perplexity outside {@code --ppl-bound}), and whether every weight was restored.
     */
    private record Verdict(int cases, int errors, int failed, int collapsed, int lost, boolean restored, String firstError) {

        static Verdict of(List<Map<String, Object>> rows, boolean restored) {
            int errors = 0;
            int failed = 0;
            int collapsed = 0;
            int lost = 0;
            String first = null;
            for (Map<String, Object> r : rows) {
                if (r.containsKey("error")) {
                    errors++;
                    first = first == null ? r.get("caseId") + ": " + r.get("error") : first;
                    continue;
                }
                boolean c = Boolean.TRUE.equals(r.get("collapsed"));
                boolean l = Boolean.FALSE.equals(r.get("canaryRetained"));
                collapsed += c ? 1 : 0;
                lost += l ? 1 : 0;
                failed += c || l ? 1 : 0;
            }
            return new Verdict(rows.size(), errors, failed, collapsed, lost, restored, first);
        }

        /** Says on stderr what went wrong and returns the exit code (see {@link EditUnitCli}). */
        int report() {
            if (!restored) {
                System.err.println("[edit] ERROR: the weights were not restored (hash differs from the unedited model)");
            }
            if (errors > 0) {
                System.err.printf("[edit] %d of %d cases errored (not measured); first: %s%n", errors, cases, firstError);
            }
            if (collapsed > 0) {
                System.err.printf("[edit] %d of %d cases collapsed (perplexity outside --ppl-bound)%n", collapsed, cases);
            }
            if (lost > 0) {
                System.err.printf("[edit] %d of %d cases lost knowledge (canary recall outside --canary-bound)%n", lost, cases);
            }
            if (errors > 0 || !restored) {
                return EditUnitCli.EXIT_ERROR;
            }
            return failed > 0 ? EditUnitCli.EXIT_FAILED : EditUnitCli.EXIT_OK;
        }
    }

    private void writePatch(EditOutcome outcome, LanguageModel model, String baseHash, List<EditCase> used)
            throws java.io.IOException {
        WeightPatch.write(out, outcome.editedValues(), model, baseHash, method, ids(used));
        System.err.println("[edit] wrote patch " + out);
    }

    private void writeSequentialPatch(List<EditOutcome> kept, LanguageModel model, String baseHash,
            List<EditCase> used) throws java.io.IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (EditOutcome o : kept) {
            for (String n : o.changedTensors()) {
                values.put(n, model.parameters().floats(n));
            }
        }
        WeightPatch.write(out, values, model, baseHash, method + (sequential ? " (sequential)" : ""), ids(used));
        System.err.println("[edit] wrote patch " + out);
    }

    private static List<String> ids(List<EditCase> cases) {
        List<String> ids = new ArrayList<>();
        cases.forEach(c -> ids.add(c.caseId()));
        return ids;
    }

    private static Map<String, Object> errorRow(EditCase c, String error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("caseId", c.caseId());
        r.put("error", error);
        return r;
    }

    /** {@code --stats-file} and {@code --stats-sample}, checked (files exist, layers known). */
    private StatsSources statsSources() {
        StatsSampling sampling;
        Map<Integer, Path> published;
        try {
            sampling = StatsSampling.parse(statsSample);
        } catch (IllegalArgumentException e) {
            throw new InputException("--stats-sample: " + e.getMessage());
        }
        try {
            published = StatsSources.parsePublished(String.join(",", statsFiles));
        } catch (IllegalArgumentException e) {
            throw new InputException("--stats-file: " + e.getMessage());
        }
        published.values().forEach(f -> requireFile(f, "--stats-file"));
        return new StatsSources(sampling, published);
    }

    /**
     * Imports every {@code --stats-file} before the first edit, so a refused file is an input error (exit 2)
     * naming it, not an error row per case; the editors then read the imports from the cache.
     */
    private static void importPublished(StatsSources sources, LanguageModel model, StatisticsCache cache)
            throws java.io.IOException {
        for (Map.Entry<Integer, Path> e : sources.published().entrySet()) {
            if (e.getKey() >= model.config().layers()) {
                throw new InputException("--stats-file " + e.getValue() + ": layer " + e.getKey()
                        + " does not exist (the model has layers 0.." + (model.config().layers() - 1) + ")");
            }
            try {
                cache.importPublished(model, e.getKey(), e.getValue());
            } catch (io.github.editunit.framework.stats.NpzFormatException ex) {
                throw new InputException("--stats-file: " + ex.getMessage());
            }
        }
    }

    /** The statistics provenance per layer, for a case's diagnostics. */
    static Map<String, Object> provenanceByLayer(Map<Integer, StatsProvenance> provenance) {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(provenance).forEach((l, p) -> out.put(String.valueOf(l), p.toMap()));
        return out;
    }

    private Map<String, Object> row(EditCase c, CaseEvaluation ev, Map<Integer, StatsProvenance> statistics) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("caseId", c.caseId());
        r.put("subject", c.subject());
        r.put("targetNew", c.targetNew());
        r.put("method", ev.method());
        r.put("firstToken", ev.firstToken());
        r.put("bos", ev.bos());
        r.put("es", Json.number(ev.es()));
        r.put("em", Json.number(ev.em()));
        r.put("ps", Json.number(ev.ps()));
        r.put("pm", Json.number(ev.pm()));
        r.put("ns", Json.number(ev.ns()));
        r.put("nm", Json.number(ev.nm()));
        r.put("rewriteAcc", Json.number(ev.rewriteAcc()));
        r.put("rephraseAcc", Json.number(ev.rephraseAcc()));
        r.put("localityAcc", Json.number(ev.localityAcc()));
        r.put("pplAfter", Json.number(ev.pplAfter()));
        r.put("pplRatio", Json.number(ev.pplRatio()));
        r.put("collapsed", ev.collapsed());
        r.put("evaluationPrefix", ev.evaluationPrefix());
        r.put("editSeconds", ev.editSeconds());
        r.put("evalSeconds", ev.evalSeconds());
        Map<String, Object> diagnostics = new LinkedHashMap<>(ev.diagnostics());
        // the layers' C as resolved by the run so far: published file (SHA-256) or computed sample
        diagnostics.put("statistics", provenanceByLayer(statistics));
        r.put("diagnostics", diagnostics);
        return r;
    }

    private void print(List<Map<String, Object>> rows, List<Map<String, Object>> batches, Verdict verdict,
            double pplBefore, boolean restored, boolean bos, String bosToken, CanaryMeasurement canaryBefore,
            String canaryName) {
        double es = mean(rows, "es");
        double ps = mean(rows, "ps");
        double ns = mean(rows, "ns");
        double maxPpl = Double.NaN;
        int collapsed = 0;
        for (Map<String, Object> r : rows) {
            Object p = r.get("pplAfter");
            if (!noPpl && r.containsKey("pplAfter")) { // null: non-finite (counts as infinite)
                double v = p == null ? Double.POSITIVE_INFINITY : ((Number) p).doubleValue();
                maxPpl = Double.isNaN(maxPpl) ? v : Math.max(maxPpl, v);
            }
            if (Boolean.TRUE.equals(r.get("collapsed"))) {
                collapsed++;
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("cases", rows.size());
        summary.put("efficacyScore", Json.number(es));
        summary.put("paraphraseScore", Json.number(ps));
        summary.put("neighborhoodScore", Json.number(ns));
        summary.put("pplBefore", Json.number(pplBefore));
        summary.put("pplAfterMax", Json.number(maxPpl));
        summary.put("collapsed", collapsed);
        summary.put("weightsRestored", restored);
        summary.put("failed", verdict.failed());
        summary.put("errors", verdict.errors());
        double editSeconds = 0;
        for (Map<String, Object> b : batches) {
            editSeconds += (Double) b.get("editSeconds");
        }
        summary.put("editSeconds", editSeconds);
        summary.put("batches", batches);
        summary.put("bos", bos); // whether every model input started with a BOS (positions count it)
        summary.put("bosToken", bosToken);
        // --no-ppl: pplBefore, pplAfterMax and each case's pplAfter/pplRatio are null because nothing was
        // measured (not because perplexity went non-finite); this says which
        summary.put("pplSkipped", noPpl);
        // --canaries: the set, its bound and the unedited model's measurement (null without --canaries);
        // each case has canaryRecall, canaryMeanLogProb, canaryRetained, canarySeconds
        if (canaryBefore == null) {
            summary.put("canaries", null);
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("set", canaryName);
            c.put("facts", canaryBefore.facts());
            c.put("bound", CanaryBound.parse(canaryBound).spec());
            c.put("recallBefore", Json.number(canaryBefore.recall()));
            c.put("meanLogProbBefore", Json.number(canaryBefore.meanLogProb()));
            c.put("recallAfterMin", Json.number(min(rows, "canaryRecall")));
            c.put("lost", (int) rows.stream().filter(r -> Boolean.FALSE.equals(r.get("canaryRetained"))).count());
            c.put("seconds", canaryBefore.seconds());
            summary.put("canaries", c);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("summary", summary);
            doc.put("cases", rows);
            Json.print(doc);
        } else {
            System.out.printf("%-12s %-22s %-12s %5s %5s %5s %9s %s%n", "case", "subject", "target", "ES", "PS", "NS",
                    "ppl×", "diagnostics");
            for (Map<String, Object> r : rows) {
                if (r.containsKey("error")) {
                    System.out.printf("%-12s ERROR %s%n", r.get("caseId"), r.get("error"));
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> d = (Map<String, Object>) r.get("diagnostics");
                System.out.printf(Locale.ROOT, "%-12s %-22s %-12s %5s %5s %5s %9s denom=%s upd=%s%n", r.get("caseId"),
                        r.get("subject"), r.get("targetNew"), fmt(r.get("es")), fmt(r.get("ps")), fmt(r.get("ns")),
                        noPpl ? "skipped" : fmt(r.get("pplRatio")), fmt(d.get("denominator")), fmt(d.get("relativeUpdateNorm")));
            }
            String ppl = noPpl ? "perplexity skipped"
                    : String.format(Locale.ROOT, "ppl %.3f → max %.3f", pplBefore, maxPpl);
            if (canaryBefore != null) {
                ppl += String.format(Locale.ROOT, "  canary recall %.2f → min %.2f", canaryBefore.recall(), min(rows, "canaryRecall"));
            }
            System.out.printf(Locale.ROOT, "%n%s  ES %.3f  PS %.3f  NS %.3f  %s  collapsed %d  "
                    + "errors %d  weights restored %s  edit %.1fs in %s  BOS %s%n", Counts.of(rows.size(), "case"),
                    es, ps, ns, ppl, collapsed, verdict.errors(), restored, editSeconds,
                    Counts.of(batches.size(), "batch"),
                    bos ? bosToken : "none");
        }
    }

    private static String fmt(Object o) {
        return o instanceof Number n ? String.format(Locale.ROOT, "%.3g", n.doubleValue()) : String.valueOf(o);
    }

    private static double min(List<Map<String, Object>> rows, String key) {
        double m = Double.NaN;
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number v) {
                m = Double.isNaN(m) ? v.doubleValue() : Math.min(m, v.doubleValue());
            }
        }
        return m;
    }

    private static double mean(List<Map<String, Object>> rows, String key) {
        double s = 0;
        int n = 0;
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number v) {
                s += v.doubleValue();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
