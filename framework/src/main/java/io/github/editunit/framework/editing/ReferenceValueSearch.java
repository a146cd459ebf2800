package io.github.editunit.framework.editing;

import io.github.editunit.framework.runtime.Interruption;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.runtime.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * The value search as it was before the batched search of {@link ValueOptimizer} (one request per search, the
 * log-softmax over every position of the full logits), kept verbatim as the reference the fast path is tested
 * against ({@code ValueSearchEquivalenceTest}) and benchmarked against ({@link EditPath#REFERENCE}).
 */
final class ReferenceValueSearch {

    private final LanguageModel model;
    private final SubjectLocator locator;

    ReferenceValueSearch(LanguageModel model) {
        this.model = model;
        this.locator = new SubjectLocator(model.tokenizer());
    }

    ValueOptimizer.Result optimise(EditRequest request, List<String> contextTemplates, HookPoint site, ValueOptimizer.Settings s) {
        int[] target = locator.targetIds(request.targetNew());
        int[] forcing = SubjectLocator.withoutLast(target);
        List<int[]> seqs = new ArrayList<>();
        List<Integer> lookup = new ArrayList<>();
        List<Integer> promptLengths = new ArrayList<>();
        String promptTemplate = request.template();
        for (String ctx : contextTemplates) {
            SubjectLocator.Located loc = locator.locate(ctx.replace("{}", promptTemplate), request.subject(), forcing);
            seqs.add(loc.ids());
            lookup.add(loc.subjectLast());
            promptLengths.add(loc.ids().length - forcing.length);
        }
        SubjectLocator.Located kl = locator.locate("{} is a", request.subject(), new int[0]);
        seqs.add(kl.ids());
        lookup.add(kl.subjectLast());
        int n = contextTemplates.size();
        int context = model.config().contextLength();
        for (int[] q : seqs) {
            if (q.length > context) {
                throw new IllegalArgumentException("case " + request.id() + ": rewriting prompt of " + q.length
                        + " tokens exceeds the model's context of " + context);
            }
        }

        int width = site.site() == HookPoint.Site.MLP_KEY ? model.config().innerWidth() : model.config().width();
        int[] batchIdx = new int[n + 1];
        int[] posIdx = new int[n + 1];
        int[] rowIdx = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            batchIdx[i] = i;
            posIdx[i] = lookup.get(i);
        }
        // (batch, position, token) of every target prediction
        int k = n * target.length;
        int[] tb = new int[k];
        int[] tp = new int[k];
        long[] tt = new long[k];
        for (int j = 0, c = 0; j < n; j++) {
            for (int t = 0; t < target.length; t++, c++) {
                tb[c] = j;
                tp[c] = promptLengths.get(j) - 1 + t;
                tt[c] = target[t];
            }
        }

        Search search = new Search(request, seqs, site, width, batchIdx, posIdx, rowIdx, lookup, n, tb, tp, tt, s);
        double[] delta = new double[width];
        double[] m1 = new double[width];
        double[] m2 = new double[width];
        List<Double> losses = new ArrayList<>();
        List<String> events = new ArrayList<>();
        double lastTargetLogProb = Double.NaN;
        for (int it = 0; it < s.steps(); it++) {
            Interruption.checkpoint();
            boolean last = it == s.steps() - 1;
            Step step = search.step(delta, last);
            String bad = step.nonFinite();
            if (bad != null) {
                // documented rule (docs/numerics.md): a non-finite step is computed once more from the
                // same δ; if it is non-finite again the search fails with a named error
                String event = "value search step " + it + ": non-finite " + bad + " (loss " + step.loss()
                        + "); step repeated";
                step = search.step(delta, last);
                String again = step.nonFinite();
                if (again != null) {
                    throw new NonFiniteValueException(request, "value search", again, it, s.steps(),
                            "loss " + step.loss() + "; the step was repeated once and was non-finite again");
                }
                events.add(event);
            }
            losses.add(step.loss());
            lastTargetLogProb = step.targetLogProb();
            if (step.loss() < s.earlyStopLoss() || last) {
                break;
            }
            ValueOptimizer.adam(delta, step.gradient(), m1, m2, it + 1, s.learningRate());
            double maxNorm = s.clampNormFactor() * search.initNorm;
            double dn = Vectors.norm(delta);
            if (dn > maxNorm) {
                for (int i = 0; i < width; i++) {
                    delta[i] *= maxNorm / dn;
                }
            }
            if (!Vectors.allFinite(delta)) {
                throw new NonFiniteValueException(request, "value search", "δ after the Adam update", it, s.steps(),
                        "gradient norm " + Vectors.norm(step.gradient()));
            }
        }
        double initNorm = search.initNorm;
        double[] init = search.init;
        boolean clamped = Vectors.norm(delta) >= s.clampNormFactor() * initNorm * (1 - 1e-6);
        return new ValueOptimizer.Result(init, delta, losses, clamped, lastTargetLogProb, events);
    }

    /** One evaluated step: the loss, the target log-probability and (unless last) the gradient of δ. */
    private record Step(double loss, double targetLogProb, double[] gradient) {
        /** The first non-finite quantity of this step, or null. */
        String nonFinite() {
            if (!Double.isFinite(loss)) {
                return "loss";
            }
            if (gradient != null && !Vectors.allFinite(gradient)) {
                return "gradient of δ";
            }
            return null;
        }
    }

    /** The fixed inputs of one search; {@link #step} runs one forward (and backward) pass. */
    private final class Search {
        private final EditRequest request;
        private final List<int[]> seqs;
        private final HookPoint site;
        private final int width;
        private final int[] batchIdx;
        private final int[] posIdx;
        private final int[] rowIdx;
        private final List<Integer> lookup;
        private final int n;
        private final int[] tb;
        private final int[] tp;
        private final long[] tt;
        private final ValueOptimizer.Settings s;
        double[] init;
        float[] klReference;
        double initNorm = 1;

        Search(EditRequest request, List<int[]> seqs, HookPoint site, int width, int[] batchIdx, int[] posIdx, int[] rowIdx,
                List<Integer> lookup, int n, int[] tb, int[] tp, long[] tt, ValueOptimizer.Settings s) {
            this.request = request;
            this.seqs = seqs;
            this.site = site;
            this.width = width;
            this.batchIdx = batchIdx;
            this.posIdx = posIdx;
            this.rowIdx = rowIdx;
            this.lookup = lookup;
            this.n = n;
            this.tb = tb;
            this.tp = tp;
            this.tt = tt;
            this.s = s;
        }

        Step step(double[] delta, boolean last) {
            int k = tt.length;
            try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
                nd.suppressNotUsedWarning();
                NDArray d = scope.create(Vectors.toFloat(delta)).reshape(1, width);
                d.setRequiresGradient(true);
                ForwardHooks hooks = new ForwardHooks().inject(site, d, batchIdx, posIdx, rowIdx);
                if (init == null) {
                    hooks.read(site, new int[] {0}, new int[] {lookup.get(0)});
                }
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray logp = model.logits(model.batch(scope, seqs), hooks).logSoftmax(-1);
                    NDArray picked = ForwardHooks.gatherRows(logp, tb, tp)
                            .gather(scope.create(tt).reshape(k, 1), 1);
                    NDArray nll = Scalars.div(picked.sum().neg(), (float) k);
                    NDArray klRow = ForwardHooks.gatherRows(logp, new int[] {n}, new int[] {lookup.get(n)});
                    if (init == null) {
                        double[] captured = ActivationReader.rows(hooks.captured(site))[0];
                        float[] reference = klRow.toFloatArray();
                        if (!Vectors.allFinite(captured)) {
                            throw new NonFiniteValueException(request, "value search", "activation v_init at " + site,
                                    0, s.steps(), "the unedited model's activation is not finite");
                        }
                        init = captured;
                        initNorm = Math.max(Vectors.norm(init), 1e-12);
                        klReference = reference;
                    }
                    // log-probabilities clamped so that 0·log 0 terms stay 0 instead of NaN
                    NDArray ref = Scalars.maximum(scope.create(klReference).reshape(klRow.getShape()), -1e4f);
                    NDArray klTerm = klRow.exp().mul(Scalars.maximum(klRow, -1e4f).sub(ref)).sum();
                    NDArray decay = Scalars.div(d.norm(), (float) (initNorm * initNorm));
                    NDArray total = nll.add(Scalars.mul(klTerm, (float) s.klFactor()))
                            .add(Scalars.mul(decay, (float) s.weightDecay()));
                    double loss = total.getFloat();
                    double targetLogProb = -nll.getFloat();
                    if (!Double.isFinite(loss) || loss < s.earlyStopLoss() || last) {
                        return new Step(loss, targetLogProb, null);
                    }
                    gc.backward(total);
                    return new Step(loss, targetLogProb, Vectors.toDouble(d.getGradient().toFloatArray()));
                }
            }
        }
    }
}
