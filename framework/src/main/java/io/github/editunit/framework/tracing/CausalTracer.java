package io.github.editunit.framework.tracing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.editing.SubjectLocator;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Causal tracing as in the ROME paper (Meng et al. 2022, §2.1): run the fact's prompt clean and record every
 * activation; corrupt the subject's token embeddings with Gaussian noise of standard deviation
 * {@code noiseScale × σ} (σ: the spread of the subjects' token embeddings over the traced cases, ROME's 3σ);
 * then, in the corrupted run, restore one activation — the hidden state, or the MLP or attention output, of one
 * layer at one position (a window of layers for MLP and attention when {@code window > 1}) — to its clean value
 * and measure the probability of the true object's first token at the last position.
 *
 * <p>Restoring is done by adding {@code clean − corrupted} through {@link ForwardHooks#inject}: the activations
 * below the restored one are the corrupted run's, so the sum is the clean value. All restorations of one noise
 * sample and site run as one batched forward (chunked by layers to at most {@link Options#maxRows()} rows). Noise
 * comes from {@code java.util.Random} seeded by (seed, case index, sample): the same inputs give the same trace.
 */
public final class CausalTracer {

    /**
     * @param samples    noise samples per case (ROME: 10)
     * @param noiseScale noise standard deviation in units of the subjects' embedding spread (ROME: 3)
     * @param window     layers restored together for MLP and attention (ROME uses 10 on 48-layer GPT-2 XL; 1 restores one layer)
     * @param seed       noise seed
     * @param maxRows    most prompts in one forward
     */
    public record Options(int samples, double noiseScale, int window, long seed, int maxRows) {
        public Options {
            if (samples < 1 || window < 1 || maxRows < 1 || !(noiseScale > 0)) {
                throw new IllegalArgumentException("samples, window and maxRows must be ≥ 1 and noiseScale > 0");
            }
        }

        public static Options defaults() {
            return new Options(10, 3.0, 1, 1, 256);
        }
    }

    private final LanguageModel model;
    private final Options options;
    private final SubjectLocator locator;
    private final int layers;

    public CausalTracer(LanguageModel model, Options options) {
        this.model = model;
        this.options = options;
        this.locator = new SubjectLocator(model.tokenizer());
        this.layers = model.config().layers();
    }

    /** A case's prompt located for tracing: ids, subject span, the true object's first token. */
    record Located(EditCase editCase, int[] ids, int subjectFirst, int subjectLast, int target) {}

    Located locate(EditCase c) {
        if (c.groundTruth() == null || c.groundTruth().isBlank()) {
            throw new IllegalArgumentException("case " + c.caseId() + " has no true object (ground truth) to trace");
        }
        SubjectLocator.Located l = locator.locate(c.template(), c.subject(), new int[0]);
        return new Located(c, l.ids(), l.subjectFirst(), l.subjectLast(), locator.targetIds(c.groundTruth())[0]);
    }

    /**
     * Standard deviation of the token embeddings at the subjects' positions over these cases (every element of
     * every subject token's embedding), read through the token-embedding hook so any architecture's scaling counts.
     */
    public double subjectEmbeddingStd(List<EditCase> cases) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (EditCase c : cases) {
            Located l = locate(c);
            try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
                nd.suppressNotUsedWarning();
                ForwardHooks hooks = ForwardHooks.none().readAll(HookPoint.tokenEmbedding());
                model.logits(model.batch(scope, List.of(l.ids())), hooks);
                float[] e = hooks.captured(HookPoint.tokenEmbedding()).toType(DataType.FLOAT32, false).toFloatArray();
                int w = e.length / l.ids().length;
                for (int p = l.subjectFirst(); p <= l.subjectLast(); p++) {
                    for (int j = 0; j < w; j++) {
                        double v = e[p * w + j];
                        sum += v;
                        sumSq += v * v;
                        n++;
                    }
                }
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        if (!Double.isFinite(std) || n == 0) {
            throw new NonFiniteTraceException("the subjects' token-embedding standard deviation is " + std + " over "
                    + n + " values: the embeddings hold NaN or infinite values");
        }
        return std;
    }

    /** Probability of the true object's first token on the clean prompt, and whether it is the top-1 prediction. */
    public double[] cleanPrediction(EditCase c) {
        Located l = locate(c);
        float[] logp = model.nextTokenLogProbs(l.ids());
        int best = 0;
        for (int i = 1; i < logp.length; i++) {
            if (logp[i] > logp[best]) {
                best = i;
            }
        }
        return new double[] {Math.exp(logp[l.target()]), best == l.target() ? 1 : 0};
    }

    /**
     * The first {@code limit} cases (0: all) with a true object that the clean model predicts top-1 — ROME traces
     * only facts the model knows; with {@code all}, every case with a true object.
     */
    public List<EditCase> knownFacts(List<EditCase> cases, int limit, boolean all) {
        List<EditCase> known = new ArrayList<>();
        for (EditCase c : cases) {
            if (limit > 0 && known.size() == limit) {
                break;
            }
            if (c.groundTruth() != null && !c.groundTruth().isBlank() && (all || cleanPrediction(c)[1] > 0)) {
                known.add(c);
            }
        }
        return known;
    }

    /** The noise's absolute standard deviation for these facts: {@link Options#noiseScale()} × the subjects' spread. */
    public double noiseStd(List<EditCase> facts) {
        return options.noiseScale() * subjectEmbeddingStd(facts);
    }

    /** Traces every fact (case index = list index seeds its noise), calling {@code afterEach} after each, and averages. */
    public TraceSummary traceAll(List<EditCase> facts, double noiseStd, Runnable afterEach) {
        List<CaseTrace> traces = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            traces.add(trace(facts.get(i), i, noiseStd));
            afterEach.run();
        }
        return new TraceSummary(layers, traces);
    }

    /** Traces one case; {@code caseIndex} seeds its noise, {@code noiseStd} is the noise's absolute standard deviation. */
    public CaseTrace trace(EditCase c, int caseIndex, double noiseStd) {
        Located l = locate(c);
        int t = l.ids().length;
        int k = l.subjectLast() - l.subjectFirst() + 1;
        TokenRole[] roles = new TokenRole[t];
        for (int p = 0; p < t; p++) {
            roles[p] = TokenRole.of(p, l.subjectFirst(), l.subjectLast(), t);
        }
        int[] subjectPositions = new int[k];
        for (int i = 0; i < k; i++) {
            subjectPositions[i] = l.subjectFirst() + i;
        }
        Map<TraceSite, double[][]> sums = new EnumMap<>(TraceSite.class);
        for (TraceSite s : TraceSite.values()) {
            sums.put(s, new double[layers][t]);
        }
        double pClean;
        double pCorruptedSum = 0;
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            ForwardHooks clean = ForwardHooks.none();
            readEverySite(clean);
            NDArray cleanLogits = model.logits(model.batch(scope, List.of(l.ids())), clean);
            pClean = probabilities(cleanLogits, 1, t, l.target(), c, "the clean prompt")[0];
            Map<TraceSite, NDArray[]> cleanActs = captured(clean, t);
            for (int s = 0; s < options.samples(); s++) {
                NDArray noise = noise(scope, caseIndex, s, k, model.config().width(), noiseStd);
                ForwardHooks corrupted = corrupt(ForwardHooks.none(), noise, new int[] {0}, subjectPositions);
                readEverySite(corrupted);
                NDArray corruptedLogits = model.logits(model.batch(scope, List.of(l.ids())), corrupted);
                pCorruptedSum += probabilities(corruptedLogits, 1, t, l.target(), c, "the corrupted prompt, sample " + s)[0];
                Map<TraceSite, NDArray[]> corruptedActs = captured(corrupted, t);
                for (TraceSite site : TraceSite.values()) {
                    NDArray[] restore = new NDArray[layers];
                    for (int j = 0; j < layers; j++) {
                        restore[j] = cleanActs.get(site)[j].sub(corruptedActs.get(site)[j]).toType(DataType.FLOAT32, false);
                    }
                    restoreAndMeasure(scope, l, site, noise, subjectPositions, restore, sums.get(site), s);
                }
            }
        }
        Map<TraceSite, double[][]> restored = new EnumMap<>(TraceSite.class);
        sums.forEach((site, m) -> {
            double[][] mean = new double[layers][t];
            for (int j = 0; j < layers; j++) {
                for (int p = 0; p < t; p++) {
                    mean[j][p] = m[j][p] / options.samples();
                }
            }
            restored.put(site, mean);
        });
        return new CaseTrace(c.caseId(), roles, pClean, pCorruptedSum / options.samples(), Collections.unmodifiableMap(restored));
    }

    /** Layers restored together when restoring {@code site} at {@code layer}: ROME's window, clipped to the model. */
    int[] window(TraceSite site, int layer) {
        int w = site == TraceSite.HIDDEN ? 1 : options.window();
        int lo = Math.max(0, layer - w / 2);
        int hi = Math.min(layers, layer + (w + 1) / 2);
        int[] out = new int[hi - lo];
        for (int i = 0; i < out.length; i++) {
            out[i] = lo + i;
        }
        return out;
    }

    private void restoreAndMeasure(NDManager scope, Located l, TraceSite site, NDArray noise, int[] subjectPositions,
            NDArray[] restore, double[][] sums, int sample) {
        int t = l.ids().length;
        int layersPerChunk = Math.max(1, options.maxRows() / t);
        for (int l0 = 0; l0 < layers; l0 += layersPerChunk) {
            int l1 = Math.min(layers, l0 + layersPerChunk);
            int rows = (l1 - l0) * t;
            try (NDManager chunk = scope.newSubManager(); NDScope nd = new NDScope()) {
                nd.suppressNotUsedWarning();
                List<int[]> seqs = new ArrayList<>(rows);
                int[] allRows = new int[rows];
                for (int r = 0; r < rows; r++) {
                    seqs.add(l.ids());
                    allRows[r] = r;
                }
                TokenBatch batch = model.batch(chunk, seqs);
                ForwardHooks hooks = corrupt(ForwardHooks.none(), noise, allRows, subjectPositions);
                // row (layer - l0) * t + p restores position p at every layer of layer's window
                for (int j = 0; j < layers; j++) {
                    List<int[]> at = new ArrayList<>();
                    for (int layer = l0; layer < l1; layer++) {
                        for (int target : window(site, layer)) {
                            if (target == j) {
                                for (int p = 0; p < t; p++) {
                                    at.add(new int[] {(layer - l0) * t + p, p});
                                }
                            }
                        }
                    }
                    if (!at.isEmpty()) {
                        int[] b = new int[at.size()];
                        int[] pos = new int[at.size()];
                        for (int i = 0; i < b.length; i++) {
                            b[i] = at.get(i)[0];
                            pos[i] = at.get(i)[1];
                        }
                        hooks.inject(site.hook(j), restore[j], b, pos, pos);
                    }
                }
                double[] p = probabilities(model.logits(batch, hooks), rows, t, l.target(), l.editCase(),
                        site.label() + " restorations, sample " + sample);
                for (int r = 0; r < rows; r++) {
                    sums[l0 + r / t][r % t] += p[r];
                }
            }
        }
    }

    /** Adds {@code noise} row i to the token embedding at {@code subjectPositions[i]} of every batch row in {@code rows}. */
    private static ForwardHooks corrupt(ForwardHooks hooks, NDArray noise, int[] rows, int[] subjectPositions) {
        int k = subjectPositions.length;
        int[] b = new int[rows.length * k];
        int[] p = new int[b.length];
        int[] r = new int[b.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < k; j++) {
                b[i * k + j] = rows[i];
                p[i * k + j] = subjectPositions[j];
                r[i * k + j] = j;
            }
        }
        return hooks.inject(HookPoint.tokenEmbedding(), noise, b, p, r);
    }

    private NDArray noise(NDManager scope, int caseIndex, int sample, int k, int width, double std) {
        Random random = new Random(options.seed() * 1_000_003L + caseIndex * 1_009L + sample);
        float[] v = new float[k * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return scope.create(v, new Shape(k, width));
    }

    private void readEverySite(ForwardHooks hooks) {
        for (TraceSite site : TraceSite.values()) {
            for (int j = 0; j < layers; j++) {
                hooks.readAll(site.hook(j));
            }
        }
    }

    private Map<TraceSite, NDArray[]> captured(ForwardHooks hooks, int t) {
        Map<TraceSite, NDArray[]> out = new EnumMap<>(TraceSite.class);
        for (TraceSite site : TraceSite.values()) {
            NDArray[] a = new NDArray[layers];
            for (int j = 0; j < layers; j++) {
                NDArray x = hooks.captured(site.hook(j));
                a[j] = x.reshape(t, x.getShape().get(2));
            }
            out.put(site, a);
        }
        return out;
    }

    /** Probability of {@code target} at the last position of each of {@code rows} equal-length rows. */
    private static double[] probabilities(NDArray logits, int rows, int t, int target, EditCase c, String run) {
        int[] b = new int[rows];
        int[] p = new int[rows];
        for (int i = 0; i < rows; i++) {
            b[i] = i;
            p[i] = t - 1;
        }
        float[] logp = ForwardHooks.gatherRows(logits, b, p).logSoftmax(-1).get(":, " + target).toFloatArray();
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = Math.exp(logp[i]);
            if (!Double.isFinite(out[i])) {
                throw new NonFiniteTraceException("case " + c.caseId() + ": non-finite probability of the true object "
                        + "in " + run + " (log-probability " + logp[i] + "); the model's weights or the noise overflow");
            }
        }
        return out;
    }
}
