package io.github.editunit.framework.editing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the value an edit should write (ROME's v*, MEMIT's z): a residual δ added to the
 * activation at {@code site} at the subject's last token of every rewriting prompt, optimised
 * with Adam to minimise
 * {@code mean_j NLL(target | ctx_j(prompt)) + kl·KL(P_δ ‖ P_0)("{s} is a") + wd·‖δ‖/‖v_init‖²},
 * with {@code ‖δ‖ ≤ clamp·‖v_init‖} after every step. Teacher forcing: each prompt is followed
 * by the target tokens but the last, so every target token is predicted.
 */
public final class ValueOptimizer {

    /**
     * Settings of the search.
     *
     * @param steps at most this many iterations (the last only evaluates)
     * @param learningRate Adam learning rate
     * @param weightDecay factor of {@code ‖δ‖ / ‖v_init‖²}
     * @param klFactor factor of the essence-drift KL term
     * @param clampNormFactor maximum {@code ‖δ‖ / ‖v_init‖}
     * @param earlyStopLoss stop when the loss falls below this
     */
    public record Settings(int steps, double learningRate, double weightDecay, double klFactor,
            double clampNormFactor, double earlyStopLoss) {}

    /**
     * The found value.
     *
     * @param init the activation at the site, subject-last token of the bare prompt, before δ
     * @param delta the optimised residual
     * @param losses the loss at every evaluated iteration
     * @param clamped whether the final δ sits on the norm cap
     * @param targetLogProb mean log-probability of the target tokens at the end (bare prompt)
     */
    public record Result(double[] init, double[] delta, List<Double> losses, boolean clamped, double targetLogProb) {
        public double[] target() {
            return Vectors.add(init, delta);
        }
    }

    private final LanguageModel model;
    private final SubjectLocator locator;

    public ValueOptimizer(LanguageModel model) {
        this.model = model;
        this.locator = new SubjectLocator(model.tokenizer());
    }

    public Result optimise(EditRequest request, List<String> contextTemplates, HookPoint site, Settings s) {
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

        double[] delta = new double[width];
        double[] m1 = new double[width];
        double[] m2 = new double[width];
        double[] init = null;
        float[] klReference = null;
        double initNorm = 1;
        List<Double> losses = new ArrayList<>();
        double lastTargetLogProb = Double.NaN;
        for (int it = 0; it < s.steps(); it++) {
            double loss;
            double[] grad;
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
                    NDArray nll = picked.sum().neg().div((float) k);
                    NDArray klRow = ForwardHooks.gatherRows(logp, new int[] {n}, new int[] {lookup.get(n)});
                    if (init == null) {
                        init = ActivationReader.rows(hooks.captured(site))[0];
                        initNorm = Math.max(Vectors.norm(init), 1e-12);
                        klReference = klRow.toFloatArray();
                    }
                    // log-probabilities clamped so that 0·log 0 terms stay 0 instead of NaN
                    NDArray ref = scope.create(klReference).reshape(klRow.getShape()).maximum(-1e4f);
                    NDArray klTerm = klRow.exp().mul(klRow.maximum(-1e4f).sub(ref)).sum();
                    NDArray decay = d.norm().div((float) (initNorm * initNorm));
                    NDArray total = nll.add(klTerm.mul((float) s.klFactor())).add(decay.mul((float) s.weightDecay()));
                    loss = total.getFloat();
                    lastTargetLogProb = -nll.getFloat() ;
                    losses.add(loss);
                    if (!Double.isFinite(loss) || loss < s.earlyStopLoss() || it == s.steps() - 1) {
                        break;
                    }
                    gc.backward(total);
                    grad = Vectors.toDouble(d.getGradient().toFloatArray());
                }
            }
            if (!Vectors.allFinite(grad)) {
                break; // keep the last finite δ
            }
            adam(delta, grad, m1, m2, it + 1, s.learningRate());
            double maxNorm = s.clampNormFactor() * initNorm;
            double dn = Vectors.norm(delta);
            if (dn > maxNorm) {
                for (int i = 0; i < width; i++) {
                    delta[i] *= maxNorm / dn;
                }
            }
        }
        boolean clamped = Vectors.norm(delta) >= s.clampNormFactor() * initNorm * (1 - 1e-6);
        return new Result(init, delta, losses, clamped, lastTargetLogProb);
    }

    private static void adam(double[] x, double[] g, double[] m, double[] v, int t, double lr) {
        double b1 = 0.9;
        double b2 = 0.999;
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            x[i] -= lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + 1e-8);
        }
    }
}
