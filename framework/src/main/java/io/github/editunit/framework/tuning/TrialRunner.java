package io.github.editunit.framework.tuning;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.EditEvaluator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.metrics.LocalitySnapshot;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures one hyperparameter setting: every case edited (alone, or in batches of {@code batch} for MEMIT) and
 * restored, ES/PS/NS as {@code edit} scores them, and the perplexity ratio after each edit (once per batch).
 * The model's weights are checked to be back to their starting hash after every edit.
 */
public final class TrialRunner {

    private final LanguageModel model;
    private final EditorFactory factory;
    private final EditEvaluator evaluator;
    private final String method;
    private final Path startFile;
    private final int batch;
    private final double pplLimit;
    private final String hashAtStart;

    /**
     * @param startFile the hyperparameter file the settings override (null: the model's own or the catalog's)
     * @param pplLimit  a perplexity ratio above this counts against the setting (e.g. 1.1)
     */
    public TrialRunner(LanguageModel model, EditorFactory factory, EditEvaluator evaluator, String method, Path startFile,
            int batch, double pplLimit) {
        this.model = model;
        this.factory = factory;
        this.evaluator = evaluator;
        this.method = method;
        this.startFile = startFile;
        this.batch = Math.max(1, batch);
        this.pplLimit = pplLimit;
        this.hashAtStart = model.parameters().contentHash();
    }

    /**
     * Measures {@code settings} on {@code cases}. A setting the editor refuses or that fails mid-edit (a layer the
     * model does not have, a non-finite value) is a failed trial with the reason, not the end of the search;
     * an interrupted run still stops.
     */
    public TrialResult run(Map<String, String> settings, List<EditCase> cases) {
        long t0 = System.nanoTime();
        try {
            return measure(settings, cases, t0);
        } catch (io.github.editunit.framework.runtime.RunInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!model.parameters().contentHash().equals(hashAtStart)) {
                throw new IllegalStateException("weights not restored after a failed " + method + " trial", e);
            }
            return TrialResult.failed(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings)),
                    cases.size(), (System.nanoTime() - t0) / 1e9, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private TrialResult measure(Map<String, String> settings, List<EditCase> cases, long t0) {
        Editor editor = factory.create(method, startFile, settings);
        String hash = hashAtStart;
        double es = 0;
        double ps = 0;
        double ns = 0;
        int nps = 0;
        int nns = 0;
        List<Double> ratios = new ArrayList<>();
        for (int from = 0; from < cases.size(); from += batch) {
            List<EditCase> chunk = cases.subList(from, Math.min(cases.size(), from + batch));
            List<LocalitySnapshot> before = new ArrayList<>();
            chunk.forEach(c -> before.add(evaluator.beforeEdit(c)));
            try (EditOutcome o = editor.apply(model, EditRequests.of(chunk))) {
                for (int i = 0; i < chunk.size(); i++) {
                    CaseEvaluation ev = evaluator.evaluate(chunk.get(i), o, before.get(i), i == 0);
                    es += ev.es();
                    if (!Double.isNaN(ev.ps())) {
                        ps += ev.ps();
                        nps++;
                    }
                    if (!Double.isNaN(ev.ns())) {
                        ns += ev.ns();
                        nns++;
                    }
                    if (i == 0) {
                        // one perplexity run per applied edit: a batch's cases share it
                        for (int j = 0; j < chunk.size(); j++) {
                            ratios.add(ev.pplRatio());
                        }
                    }
                }
            }
            if (!model.parameters().contentHash().equals(hash)) {
                throw new IllegalStateException("weights not restored after a " + method + " trial edit of "
                        + chunk.get(0).caseId());
            }
        }
        int n = cases.size();
        double mes = es / n;
        double mps = nps == 0 ? Double.NaN : ps / nps;
        double mns = nns == 0 ? Double.NaN : ns / nns;
        double over = ratios.stream().filter(r -> !(r <= pplLimit)).count() / (double) Math.max(1, ratios.size());
        return new TrialResult(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings)), n, mes, mps, mns, TrialResult.harmonic(mes, mps, mns), over,
                median(ratios), (System.nanoTime() - t0) / 1e9, null);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
