package io.github.editunit.framework.cli;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.canary.CanarySetResolver;
import io.github.editunit.framework.canary.KnowledgeCanaries;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.mining.HardCaseMiner;
import io.github.editunit.framework.mining.MinedCase;
import io.github.editunit.framework.mining.MinedSuite;
import io.github.editunit.framework.mining.MiningReport;
import io.github.editunit.framework.diagnostics.PreCheckEvaluation;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.hardedit.canary.CanarySet;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.CaseFileWriter;
import io.github.editunit.hardedit.cases.EditCase;
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

/**
 * {@code editunit mine}: the HardEdit procedure on any model — every candidate applied as a single edit,
 * the damaging ones (perplexity or canary bound violated) ranked first and written as a suite the engine
 * reads, with a short report that also measures the editors' collapse pre-check as a classifier.
 */
@Command(name = "mine", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Mine hard cases: apply each candidate as a single edit, rank by damage, write a suite and a report.")
public final class MineCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", required = true, paramLabel = "FILE", description = "Candidate edit cases (any accepted format).")
    Path cases;

    @Option(names = "--method", defaultValue = "rome", paramLabel = "METHOD", description = "Editor (default rome).")
    String method;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Mine the first N candidates (0 = all).")
    int limit;

    @Option(names = "--top", defaultValue = "0", paramLabel = "K",
            description = "Write the K hardest to the suite (0 = every damaging case, or the 10 hardest when none is).")
    int top;

    @Option(names = "--out", required = true, paramLabel = "SUITE", description = "Suite to write (extended flat JSON).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "Markdown report (default: SUITE with .md).")
    Path report;

    @Option(names = "--ppl-corpus", paramLabel = "FILE", description = "Perplexity corpus (default <model>/suites/heldout-ppl.json).")
    Path pplCorpus;

    @Option(names = "--ppl-limit", defaultValue = "50", paramLabel = "N", description = "First N sentences (default 50).")
    int pplLimit;

    @Option(names = "--ppl-bound", defaultValue = "x1.5", paramLabel = "BOUND", description = "Collapse bound (default x1.5).")
    String pplBound;

    @Option(names = "--canaries", paramLabel = "SOURCE",
            description = "world, neighbours or a canary file (default: world when <model>/suites/facts.json exists, else neighbours).")
    String canaries;

    @Option(names = "--canary-bound", defaultValue = "drop:0.1", paramLabel = "BOUND", description = "drop:D or min:M (default drop:0.1).")
    String canaryBound;

    @Option(names = "--json", description = "Print the ranking as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<EditCase> all = CaseFileReader.readStrict(cases);
        List<EditCase> used = limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
        Path corpus = pplCorpus != null ? pplCorpus : modelOptions.model.resolve("suites/heldout-ppl.json");
        if (!Files.isRegularFile(corpus)) {
            throw new InputException(corpus + " not found: give --ppl-corpus");
        }
        CollapseBound bound;
        CanaryBound cBound;
        try {
            bound = CollapseBound.parse(pplBound);
            cBound = CanaryBound.parse(canaryBound);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        String source = canaries != null ? canaries
                : Files.isRegularFile(modelOptions.model.resolve("suites/facts.json")) ? "world" : "neighbours";
        CanarySet canarySet;
        try {
            canarySet = CanarySetResolver.resolve(source, used, cases.getFileName().toString(), modelOptions.model);
        } catch (RuntimeException e) {
            throw new InputException("--canaries " + source + ": " + e.getMessage());
        }
        modelOptions.check();
        List<MinedCase> ranked;
        try (LanguageModel model = modelOptions.load()) {
            EditingContext ctx = new EditingContext(model, modelOptions.model, StatisticsCache.atDefaultLocation(), null);
            Editor editor = new EditorFactory(ctx).create(method, null, Map.of());
            EditEvaluator evaluator = new EditEvaluator(model, SentenceCorpus.read(corpus).limit(pplLimit).sentences(), 10, bound);
            int[] done = {0};
            ranked = new HardCaseMiner(model, editor, evaluator, new KnowledgeCanaries(canarySet), cBound).mine(used, m ->
                    System.err.printf(Locale.ROOT, "[mine] %d/%d %s: ppl ×%.3f, canary drop %.3f%s%n", ++done[0], used.size(),
                            m.editCase().caseId(), m.pplRatio(), m.canaryDrop(),
                            m.collapsed() ? " COLLAPSED" : m.knowledgeLost() ? " KNOWLEDGE LOST" : ""));
        }
        long damaging = ranked.stream().filter(MinedCase::damaged).count();
        int k = top > 0 ? top : damaging > 0 ? (int) damaging : 10;
        List<EditCase> suite = MinedSuite.of(ranked, k);
        AtomicFiles.write(out, tmp -> CaseFileWriter.write(suite, CaseFileWriter.Format.EXTENDED, tmp));
        Path reportFile = report != null ? report : out.resolveSibling(out.getFileName().toString().replaceAll("\\.json$", "") + ".md");
        // the command as typed (the model as named, e.g. "bundled", not the directory it resolved to)
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = "./editunit " + String.join(" ", args); // originalArgs starts with the subcommand
        String modelArg = modelOptions.asTyped(args);
        String what = String.format(Locale.ROOT, "Model `%s`, method %s, perplexity bound %s on %d sentences of `%s`, "
                + "canaries: %d facts (%s), bound %s.", modelArg, method, bound, pplLimit, corpus.getFileName(),
                canarySet.size(), canarySet.name(), cBound);
        AtomicFiles.writeString(reportFile, MiningReport.markdown(command, what, ranked, Math.max(k, 10)));
        System.err.printf(Locale.ROOT, "[mine] %d of %d candidates damaging; wrote %d cases to %s and the report %s%n",
                damaging, ranked.size(), suite.size(), out, reportFile);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("candidates", ranked.size());
            doc.put("collapsed", ranked.stream().filter(MinedCase::collapsed).count());
            doc.put("knowledgeLost", ranked.stream().filter(MinedCase::knowledgeLost).count());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (MinedCase m : ranked) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("caseId", m.editCase().caseId());
                r.put("pplRatio", Json.number(m.pplRatio()));
                r.put("canaryDrop", Json.number(m.canaryDrop()));
                r.put("denominatorRatio", Json.number(m.denominatorRatio()));
                r.put("relativeUpdateNorm", Json.number(m.relativeUpdateNorm()));
                r.put("preCheck", m.flaggedByPreCheck());
                r.put("collapsed", m.collapsed());
                r.put("knowledgeLost", m.knowledgeLost());
                rows.add(r);
            }
            doc.put("ranking", rows);
            PreCheckEvaluation.Confusion shipped = PreCheckEvaluation.curve(ranked.stream().map(MinedCase::preCheckSample).toList()).get(0);
            doc.put("preCheckPrecision", Json.number(shipped.precision()));
            doc.put("preCheckRecall", Json.number(shipped.recall()));
            Json.print(doc);
        }
        return EditUnitCli.EXIT_OK;
    }
}
