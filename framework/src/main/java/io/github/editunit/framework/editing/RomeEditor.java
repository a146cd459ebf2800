package io.github.editunit.framework.editing;

import io.github.editunit.framework.runtime.RunInterruptedException;
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

    /** The context templates the keys are averaged over ({@code "{}"} first). */
    public ContextTemplates templates() {
        return templates;
    }

    @Override
    public EditOutcome apply(LanguageModel model, List<EditRequest> requests) {
        long start = System.nanoTime();
        Projection proj = model.architecture().mlpDownProjection(hp.layer());
        ParameterStore params = model.parameters();
        String hashBefore = params.contentHash();
        WeightSnapshot before = params.snapshot(List.of(proj.weightName()));
        EditDiagnostics diag = new EditDiagnostics();
        KeyCovariance c = null;
        try {
            c = hp.mom2Adjustment() ? covariance.apply(hp.layer()) : KeyCovariance.identity(proj.inDim());
            for (int i = 0; i < requests.size(); i++) {
                EditDiagnostics one = applyOne(model, proj, c, requests.get(i));
                diag.merge(requests.size() == 1 ? "" : requests.get(i).id() + ".", one);
            }
        } catch (RuntimeException e) {
            params.restore(before);
            if (e instanceof RunInterruptedException) {
                throw e; // weights restored; the run stops
            }
            throw e instanceof EditFailedException ? e : new EditFailedException(method() + " edit failed: "
                    + e.getMessage() + " (weights restored)", e);
        } finally {
            if (c != null) {
                // a large factor would otherwise sit beside the next edit's value search (GPT-2 XL: 328 MB)
                c.releaseNativeSolver();
            }
        }
        EditOutcome outcome = new EditOutcome(method(), requests, model, before, hashBefore, diag,
                (System.nanoTime() - start) / 1e9);
        if (hp.testPrefix() && templates.size() > 1) {
            SplittableRandom r = new SplittableRandom(hp.templateSeed() ^ requests.get(0).prompt().hashCode());
            outcome.withEvaluationPrefix(templates.prefixed().get(r.nextInt(templates.prefixed().size())));
        }
        return outcome;
    }

    /**
     * The quantities of one ROME update, before it is applied.
     *
     * @param u the update's input direction ({@code C⁻¹k̄} or {@code C⁻¹kᵘ})
     * @param right the output vector: {@code ΔW = right · uᵀ}
     * @param vStar the target value {@code v_init + δ}
     * @param kUnprefixed the bare prompt's key {@code kᵘ}
     * @param kBar the template-averaged key {@code k̄}
     * @param outBar mean MLP output over the templates
     * @param denominator {@code uᵀk} of the mode
     * @param consistentDenominator {@code k̄ᵀC⁻¹k̄}
     * @param keyCosine cosine between the mean prefixed key and {@code kᵘ}
     * @param subjectLastIndex subject-last-token index of the bare prompt
     * @param value the value search result
     */
    public record Update(double[] u, double[] right, double[] vStar, double[] kUnprefixed, double[] kBar,
            double[] outBar, double[] residual, double denominator, double consistentDenominator, double keyCosine,
            int subjectLastIndex, ValueOptimizer.Result value) {}

    /**
     * The prompts the keys are read from: the request's prompt in every context template ({@code "{}"} first), and
     * the subject's last token in each.
     */
    public record KeyPrompts(List<int[]> ids, int[] positions) {}

    /** The key prompts of {@code req} with this editor's context templates. */
    public KeyPrompts keyPrompts(LanguageModel model, EditRequest req) {
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
        List<int[]> ids = new ArrayList<>();
        int[] positions = new int[templates.size()];
        for (int j = 0; j < templates.size(); j++) {
            SubjectLocator.Located loc = locator.locate(templates.templates().get(j).replace("{}", req.template()),
                    req.subject(), new int[0]);
            ids.add(loc.ids());
            positions[j] = loc.subjectLast();
        }
        return new KeyPrompts(ids, positions);
    }

    /** Computes (without applying) the update of one request. */
    public Update compute(LanguageModel model, KeyCovariance c, EditRequest req) {
        KeyPrompts kp = keyPrompts(model, req);
        List<int[]> ids = kp.ids();
        int[] positions = kp.positions();
        int layer = hp.layer();
        var acts = new ActivationReader(model).read(ids, positions,
                List.of(HookPoint.mlpKey(layer), HookPoint.mlpOutput(layer)));
        double[][] keys = acts.get(HookPoint.mlpKey(layer));
        double[][] outs = acts.get(HookPoint.mlpOutput(layer));
        for (int j = 0; j < keys.length; j++) {
            if (!Vectors.allFinite(keys[j]) || !Vectors.allFinite(outs[j])) {
                throw new NonFiniteValueException(req, hp.mode().method() + " keys",
                        (!Vectors.allFinite(keys[j]) ? "key" : "MLP output") + " of context template " + j, -1, -1,
                        "layer " + layer + ", unedited weights");
            }
        }
        double[] kU = keys[0];
        double[] outU = outs[0];
        double[] kBar = Vectors.mean(keys);
        double[] outBar = Vectors.mean(outs);

        ValueOptimizer.Result value = new ValueOptimizer(model).optimise(req, templates.templates(),
                HookPoint.mlpOutput(layer), hp.valueSettings());
        double[] vStar = value.target();

        double[] cInvKBar = c.solve(kBar);
        double[] u;
        double[] resid;
        double denom;
        switch (hp.mode()) {
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
        double keyCosine = templates.size() > 1
                ? Vectors.cosine(Vectors.mean(java.util.Arrays.copyOfRange(keys, 1, keys.length)), kU) : 1.0;
        return new Update(u, Vectors.scale(resid, 1.0 / denom), vStar, kU, kBar, outBar, resid, denom,
                Vectors.dot(cInvKBar, kBar), keyCosine, positions[0], value);
    }

    private EditDiagnostics applyOne(LanguageModel model, Projection proj, KeyCovariance c, EditRequest req) {
        Update up = compute(model, c, req);
        KeyMode mode = hp.mode();
        int layer = hp.layer();
        if (!Vectors.allFinite(up.u()) || !Vectors.allFinite(up.right())) {
            throw new NonFiniteValueException(req, mode.method() + " update",
                    !Vectors.allFinite(up.u()) ? "left vector u = C⁻¹k" : "right vector (v* − Wk)/(uᵀk)", -1, -1,
                    "denominator " + up.denominator());
        }
        double wNorm = frobenius(model.parameters().floats(proj.weightName()));
        double updateNorm = Vectors.norm(up.right()) * Vectors.norm(up.u());
        double denom = up.denominator();
        double consistentDenom = up.consistentDenominator();

        EditDiagnostics d = new EditDiagnostics();
        d.put("layer", layer);
        d.put("subjectLastIndex", up.subjectLastIndex());
        d.put("numeratorNorm", Vectors.norm(up.residual()));
        d.put("denominator", denom);
        d.put("denominatorNormalised", denom / Vectors.norm(up.u()));
        d.put("consistentDenominator", consistentDenom);
        d.put("denominatorRatio", denom / consistentDenom);
        d.put("prefixedUnprefixedKeyCosine", up.keyCosine());
        d.put("rightVectorNorm", Vectors.norm(up.right()));
        d.put("deltaNorm", Vectors.norm(up.value().delta()));
        d.put("vInitNorm", Vectors.norm(up.value().init()));
        d.put("valueClamped", up.value().clamped() ? 1 : 0);
        d.put("updateNorm", updateNorm);
        d.put("weightNorm", wNorm);
        d.put("relativeUpdateNorm", updateNorm / wNorm);
        d.put("targetLogProbAfterSearch", up.value().targetLogProb());
        d.lossTrajectory("valueSearch", up.value().losses());
        MemitEditor.recordNumericEvents(d, req, up.value());
        d.layerUpdateNorm(layer, updateNorm);
        boolean prone = denom / consistentDenom < hp.collapseDenominatorRatio()
                || updateNorm / wNorm > hp.collapseUpdateRatio();
        d.put("collapseProne", prone ? 1 : 0);
        if (prone) {
            d.warn(String.format(java.util.Locale.ROOT,
                    "collapse-prone: denominator %.4g is %.3g× the consistent k̄ᵀC⁻¹k̄, ‖ΔW‖/‖W‖ = %.3g",
                    denom, denom / consistentDenom, updateNorm / wNorm));
        }
        if (up.value().clamped()) {
            d.warn("value search hit its norm cap (clamp_norm_factor " + hp.clampNormFactor() + ")");
        }
        model.parameters().addRankOne(proj, Vectors.toFloat(up.right()), Vectors.toFloat(up.u()));
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
