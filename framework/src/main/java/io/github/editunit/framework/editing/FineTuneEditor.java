package io.github.editunit.framework.editing;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.RunInterruptedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.Blocks;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.runtime.Scalars;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.model.WeightSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FT-L: Adam on the MLP down-projection (weight and bias) of the configured layers, with the
 * element-wise box {@code W ∈ [W₀ − ε, W₀ + ε]} enforced after every step; plain FT when
 * {@code norm_constraint} is off. The loss is the papers' FT loss: the target tokens' NLL read
 * at the last prompt position (or teacher-forced, by option).
 *
 * <p>With half-precision weights Adam, its moments and the box act on float32 master copies of the
 * trained tensors (mixed-precision training); the forward reads each master through a cast autograd
 * follows, so the gradient arrives in float32, and the weights receive the masters rounded once when
 * training ends (a weight may then sit up to half a float16 step outside the box).
 */
public final class FineTuneEditor implements Editor {

    private final FineTuneHyperparameters hp;

    public FineTuneEditor(FineTuneHyperparameters hp) {
        this.hp = hp;
    }

    @Override
    public String method() {
        return hp.constrained() ? "ft-l" : "ft";
    }

    @Override
    public EditOutcome apply(LanguageModel model, List<EditRequest> requests) {
        long start = System.nanoTime();
        ParameterStore params = model.parameters();
        String hashBefore = params.contentHash();
        List<String> names = new ArrayList<>();
        for (int l : hp.layers()) {
            Projection p = model.architecture().mlpDownProjection(l);
            names.add(p.weightName());
            if (p.biasName() != null) {
                names.add(p.biasName());
            }
        }
        WeightSnapshot before = params.snapshot(names);
        EditDiagnostics diag = new EditDiagnostics();
        try {
            train(model, requests, names, before, diag);
        } catch (RuntimeException e) {
            params.restore(before);
            if (e instanceof RunInterruptedException) {
                throw e; // weights restored; the run stops
            }
            throw e instanceof EditFailedException ? e
                    : new EditFailedException(method() + " edit failed: " + e.getMessage() + " (weights restored)", e);
        } finally {
            for (String n : names) {
                params.get(n).setRequiresGradient(false);
            }
        }
        return new EditOutcome(method(), requests, model, before, hashBefore, diag, (System.nanoTime() - start) / 1e9);
    }

    private void train(LanguageModel model, List<EditRequest> requests, List<String> names, WeightSnapshot before,
            EditDiagnostics diag) {
        ParameterStore params = model.parameters();
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
        List<int[]> seqs = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        List<Integer> promptLengths = new ArrayList<>();
        for (EditRequest r : requests) {
            int[] prompt = model.tokenizer().encodeInput(r.prompt()); // the loss positions count the BOS, if any
            int[] target = locator.targetIds(r.targetNew());
            targets.add(target);
            promptLengths.add(prompt.length);
            if (hp.teacherForced()) {
                int[] s = java.util.Arrays.copyOf(prompt, prompt.length + target.length - 1);
                System.arraycopy(target, 0, s, prompt.length, target.length - 1);
                seqs.add(s);
            } else {
                seqs.add(prompt);
            }
        }
        int k = 0;
        for (int[] t : targets) {
            k += t.length;
        }
        int[] tb = new int[k];
        int[] tp = new int[k];
        long[] tt = new long[k];
        for (int i = 0, c = 0; i < requests.size(); i++) {
            for (int t = 0; t < targets.get(i).length; t++, c++) {
                tb[c] = i;
                tp[c] = hp.teacherForced() ? promptLengths.get(i) - 1 + t : promptLengths.get(i) - 1;
                tt[c] = targets.get(i)[t];
            }
        }

        Map<String, NDArray[]> adam = new HashMap<>();
        Map<String, NDArray[]> box = new HashMap<>();
        // half-precision weights: Adam runs on float32 master copies, which the forward reads through a
        // cast autograd follows; the weights get the masters' values rounded once at the end
        boolean half = params.precision().isHalf();
        Map<String, NDArray> trained = new HashMap<>();
        NDManager state = params.manager().newSubManager();
        try {
            for (String n : names) {
                NDArray p = half ? params.get(n).toType(DataType.FLOAT32, true) : params.get(n);
                if (half) {
                    p.attach(state);
                }
                trained.put(n, p);
                adam.put(n, new NDArray[] {state.zeros(p.getShape()), state.zeros(p.getShape())});
                if (hp.constrained()) {
                    NDArray w0 = state.create(before.values().get(n), p.getShape());
                    box.put(n, new NDArray[] {Scalars.sub(w0, (float) hp.normConstraint()), Scalars.add(w0, (float) hp.normConstraint())});
                }
                p.setRequiresGradient(true);
            }
            List<Double> losses = new ArrayList<>();
            double b1 = 0.9;
            double b2 = 0.999;
            int step = 0;
            for (int epoch = 0; epoch < hp.numSteps(); epoch++) {
                Interruption.checkpoint();
                double loss;
                try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
                    nd.suppressNotUsedWarning();
                    Map<String, NDArray> stored = new HashMap<>();
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        if (half) {
                            for (String n : names) {
                                stored.put(n, params.substitute(n, Blocks.cast(trained.get(n), params.precision().dataType())));
                            }
                        }
                        NDArray logp = model.logits(model.batch(scope, seqs), ForwardHooks.none()).logSoftmax(-1);
                        NDArray nll = ForwardHooks.gatherRows(logp, tb, tp)
                                .gather(scope.create(tt).reshape(k, 1), 1).sum().neg();
                        nll = Scalars.div(nll, (float) k);
                        loss = nll.getFloat();
                        losses.add(loss);
                        if (!Double.isFinite(loss)) {
                            throw new NonFiniteValueException(requests.size() == 1 ? requests.get(0) : null,
                                    method() + " fine-tuning", "loss", epoch, hp.numSteps(), "loss " + loss);
                        }
                        if (loss < hp.earlyStopLoss()) {
                            break;
                        }
                        gc.backward(nll);
                    } finally {
                        stored.forEach(params::substitute);
                    }
                    step++;
                    double bc1 = 1 - Math.pow(b1, step);
                    double bc2 = 1 - Math.pow(b2, step);
                    for (String n : names) {
                        NDArray g0 = trained.get(n).getGradient();
                        if (g0.isNaN().logicalOr(g0.isInfinite()).any().getBoolean()) {
                            throw new NonFiniteValueException(requests.size() == 1 ? requests.get(0) : null,
                                    method() + " fine-tuning", "gradient of " + n, epoch, hp.numSteps(),
                                    "loss " + loss);
                        }
                    }
                    for (String n : names) {
                        NDArray p = trained.get(n);
                        NDArray g = p.getGradient();
                        NDArray grad = hp.weightDecay() > 0 ? g.add(Scalars.mul(p, (float) hp.weightDecay())) : g;
                        NDArray[] mv = adam.get(n);
                        mv[0].muli(Scalars.like(mv[0], (float) b1)).addi(Scalars.mul(grad, (float) (1 - b1)));
                        mv[1].muli(Scalars.like(mv[1], (float) b2)).addi(Scalars.mul(grad.square(), (float) (1 - b2)));
                        NDArray update = Scalars.mul(Scalars.div(mv[0], (float) bc1)
                                .div(Scalars.add(Scalars.div(mv[1], (float) bc2).sqrt(), 1e-8f)), (float) hp.lr());
                        p.subi(update);
                        if (hp.constrained()) {
                            NDArray[] lohi = box.get(n);
                            NDArray clamped = p.maximum(lohi[0]).minimum(lohi[1]);
                            // an in-place index copy: NDArray.set(float[]) would reach DJL's torchSet and its
                            // libtorch deprecation warning (see ParameterStore.set)
                            p.set(new ai.djl.ndarray.index.NDIndex(":"), clamped);
                        }
                        if (!half) {
                            params.markChanged(n); // the stored tensor itself was stepped
                        }
                        g.set(new ai.djl.ndarray.index.NDIndex(":"), 0f);
                    }
                }
            }
            diag.lossTrajectory("fineTune", losses);
            diag.put("epochs", step);
            if (half) {
                for (String n : names) {
                    params.set(n, trained.get(n).toFloatArray());
                }
            }
        } finally {
            state.close();
        }
        for (int l : hp.layers()) {
            Projection p = model.architecture().mlpDownProjection(l);
            float[] now = params.floats(p.weightName());
            float[] old = before.values().get(p.weightName());
            double sq = 0;
            double maxAbs = 0;
            for (int i = 0; i < now.length; i++) {
                double d = now[i] - old[i];
                sq += d * d;
                maxAbs = Math.max(maxAbs, Math.abs(d));
            }
            diag.layerUpdateNorm(l, Math.sqrt(sq));
            diag.put("maxAbsChange.layer" + l, maxAbs);
        }
    }
}
