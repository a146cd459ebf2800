package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.model.WeightSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * ROME: a rank-one update of one MLP down-projection, in one of three {@link KeyMode}s.
 * Several requests in one call are applied one after another (ROME has no batch form).
 */
public final class RomeEditor implements Editor {

    private final RomeHyperparameters hp;
    private final IntFunction<KeyCovariance> covariance;
    private final ContextTemplates templates;

    /**
     * @param hp hyperparameters (layer, key mode, value search, ...)
     * @param covariance C for a layer (ignored when {@code mom2_adjustment} is false)
     * @param templates context templates ({@code "{}"} first)
     */
    public RomeEditor(RomeHyperparameters hp, IntFunction<KeyCovariance> covariance, ContextTemplates templates) {
        this.hp = hp;
        this.covariance = covariance;
        this.templates = templates;
    }

    @Override
    public String method() {
        return hp.mode().method();
    }

    public RomeHyperparameters hyperparameters() {
        return hp;
    }

    @Override
    public EditOutcome apply(LanguageModel model, List<EditRequest> requests) {
        long start = System.nanoTime();
        Projection proj = model.architecture().mlpDownProjection(hp.layer());
        ParameterStore params = model.parameters();
        String hashBefore = params.contentHash();
        WeightSnapshot before = params.snapshot(List.of(proj.weightName()));
        EditDiagnostics diag = new EditDiagnostics();
        try {
            KeyCovariance c = hp.mom2Adjustment() ? covariance.apply(hp.layer())
                    : KeyCovariance.identity(proj.inDim());
            for (int i = 0; i < requests.size(); i++) {
                EditDiagnostics one = applyOne(model, proj, c, requests.get(i));
                diag.merge(requests.size() == 1 ? "" : requests.get(i).id() + ".", one);
            }
        } catch (RuntimeException e) {
            params.restore(before);
            throw e instanceof EditFailedException ? e : new EditFailedException(method() + " edit failed: "
                    + e.getMessage() + " (weights restored)", e);
        }
        EditOutcome outcome = new EditOutcome(method(), requests, model, before, hashBefore, diag,
                (System.nanoTime() - start) / 1e9);
        if (hp.testPrefix() && templates.size() > 1) {
            SplittableRandom r = new SplittableRandom(hp.templateSeed() ^ requests.get(0).prompt().hashCode());
            outcome.withEvaluationPrefix(templates.prefixed().get(r.nextInt(templates.prefixed().size())));
        }
        return outcome;
    }

    private EditDiagnostics applyOne(LanguageModel model, Projection proj, KeyCovariance c, EditRequest req) {
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
        List<int[]> ids = new ArrayList<>();
        int[] positions = new int[templates.size()];
        for (int j = 0; j < templates.size(); j++) {
            SubjectLocator.Located loc = locator.locate(templates.templates().get(j).replace("{}", req.template()),
                    req.subject(), new int[0]);
            ids.add(loc.ids());
            positions[j] = loc.subjectLast();
        }
        int layer = hp.layer();
        var acts = new ActivationReader(model).read(ids, positions,
                List.of(HookPoint.mlpKey(layer), HookPoint.mlpOutput(layer)));
        double[][] keys = acts.get(HookPoint.mlpKey(layer));
        double[][] outs = acts.get(HookPoint.mlpOutput(layer));
        double[] kU = keys[0];
        double[] outU = outs[0];
        double[] kBar = Vectors.mean(keys);
        double[] outBar = Vectors.mean(outs);

        ValueOptimizer.Result value = new ValueOptimizer(model).optimise(req, templates.templates(),
                HookPoint.mlpOutput(layer), hp.valueSettings());
        double[] vStar = value.target();

        KeyMode mode = hp.mode();
        double[] cInvKBar = c.solve(kBar);
        double[] u;
        double[] resid;
        double denom;
        switch (mode) {
            case CONSISTENT:
                u = cInvKBar;
                resid = Vectors.sub(vStar, outBar);
                denom = Vectors.dot(u, kBar);
                break;
            case PROMPT_ONLY:
                u = c.solve(kU);
                resid = Vectors.sub(vStar, outU);
                denom = Vectors.dot(u, kU);
                break;
            case ORIGINAL:
            default:
                u = cInvKBar;
                resid = Vectors.sub(vStar, outU);
                denom = Vectors.dot(u, kU);
                break;
        }
        double consistentDenom = Vectors.dot(cInvKBar, kBar);
        double[] right = Vectors.scale(resid, 1.0 / denom);
        if (!Vectors.allFinite(right) || !Vectors.allFinite(u)) {
            throw new EditFailedException(mode.method() + " update for " + req.describe()
                    + " is not finite (denominator " + denom + ")");
        }
        double wNorm = frobenius(model.parameters().get(proj.weightName()).toFloatArray());
        double updateNorm = Vectors.norm(right) * Vectors.norm(u);

        EditDiagnostics d = new EditDiagnostics();
        d.put("layer", layer);
        d.put("subjectLastIndex", positions[0]);
        d.put("numeratorNorm", Vectors.norm(resid));
        d.put("denominator", denom);
        d.put("denominatorNormalised", denom / Vectors.norm(u));
        d.put("consistentDenominator", consistentDenom);
        d.put("denominatorRatio", denom / consistentDenom);
        d.put("prefixedUnprefixedKeyCosine", templates.size() > 1
                ? Vectors.cosine(Vectors.mean(java.util.Arrays.copyOfRange(keys, 1, keys.length)), kU) : 1.0);
        d.put("rightVectorNorm", Vectors.norm(right));
        d.put("deltaNorm", Vectors.norm(value.delta()));
        d.put("vInitNorm", Vectors.norm(value.init()));
        d.put("valueClamped", value.clamped() ? 1 : 0);
        d.put("updateNorm", updateNorm);
        d.put("weightNorm", wNorm);
        d.put("relativeUpdateNorm", updateNorm / wNorm);
        d.put("targetLogProbAfterSearch", value.targetLogProb());
        d.lossTrajectory("valueSearch", value.losses());
        d.layerUpdateNorm(layer, updateNorm);
        boolean prone = denom / consistentDenom < hp.collapseDenominatorRatio()
                || updateNorm / wNorm > hp.collapseUpdateRatio();
        d.put("collapseProne", prone ? 1 : 0);
        if (prone) {
            d.warn(String.format(java.util.Locale.ROOT,
                    "collapse-prone: denominator %.4g is %.3g× the consistent k̄ᵀC⁻¹k̄, ‖ΔW‖/‖W‖ = %.3g",
                    denom, denom / consistentDenom, updateNorm / wNorm));
        }
        if (value.clamped()) {
            d.warn("value search hit its norm cap (clamp_norm_factor " + hp.clampNormFactor() + ")");
        }
        model.parameters().addRankOne(proj, Vectors.toFloat(right), Vectors.toFloat(u));
        return d;
    }

    static double frobenius(float[] w) {
        double s = 0;
        for (float v : w) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
