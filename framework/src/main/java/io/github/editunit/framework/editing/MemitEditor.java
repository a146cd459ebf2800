package io.github.editunit.framework.editing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.github.editunit.framework.runtime.RunInterruptedException;
import io.github.editunit.framework.runtime.Scalars;
import io.github.editunit.framework.stats.BlockedCholesky;
import io.github.editunit.framework.stats.NativeMatrices;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.model.WeightSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * MEMIT: for a batch of requests, target residuals {@code z_i} at the last layer of R are found
 * by the value search (δ added to the block output), then spread over the layers of R in
 * ascending order, each layer solving {@code ΔW = R_i Kᵀ (λC + KKᵀ)⁻¹} in float64.
 *
 * <p>{@code rounds > 1} (not in the MEMIT paper; 1 by default and in the reference files) repeats the
 * whole procedure on the edited model: each later round searches new targets given what the earlier
 * rounds changed elsewhere in the prompts of the batch, then spreads them again.
 */
public final class MemitEditor implements Editor {

    private final MemitHyperparameters hp;
    private final IntFunction<KeyCovariance> covariance;
    private final ContextTemplates templates;

    public MemitEditor(MemitHyperparameters hp, IntFunction<KeyCovariance> covariance, ContextTemplates templates) {
        this.hp = hp;
        this.covariance = covariance;
        this.templates = templates;
    }

    @Override
    public String method() {
        return "memit";
    }

    public MemitHyperparameters hyperparameters() {
        return hp;
    }

    @Override
    public EditOutcome apply(LanguageModel model, List<EditRequest> requests) {
        long start = System.nanoTime();
        ParameterStore params = model.parameters();
        String hashBefore = params.contentHash();
        List<String> names = new ArrayList<>();
        for (int l : hp.layers()) {
            names.add(model.architecture().mlpDownProjection(l).weightName());
        }
        WeightSnapshot before = params.snapshot(names);
        EditDiagnostics diag = new EditDiagnostics();
        try {
            Batch batch = prepare(model, requests);
            update(model, batch, diag);
            for (int round = 2; round <= hp.roundCount(); round++) {
                // refinement: new targets z from the model as the previous round left it, spread again
                EditDiagnostics next = new EditDiagnostics();
                update(model, batch, next);
                diag.merge("round" + round + ".", next);
            }
        } catch (RuntimeException e) {
            params.restore(before);
            if (e instanceof RunInterruptedException) {
                throw e; // weights restored; the run stops
            }
            throw e instanceof EditFailedException ? e
                    : new EditFailedException("memit edit failed: " + e.getMessage() + " (weights restored)", e);
        }
        return new EditOutcome(method(), requests, model, before, hashBefore, diag, (System.nanoTime() - start) / 1e9);
    }

    /**
     * What every round of one edit shares: the token ids of each (request, template) with the subject-last
     * positions, the edited layers in ascending order, and their key covariances — resolved before the
     * first update, because the statistics describe the unedited model.
     */
    private record Batch(List<EditRequest> requests, List<int[]> ids, int[] positions, int templateCount, int[] layers,
            Map<Integer, KeyCovariance> covariances) {}

    private Batch prepare(LanguageModel model, List<EditRequest> requests) {
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
        int n = requests.size();
        int t = templates.size();
        List<int[]> ids = new ArrayList<>(n * t);
        int[] positions = new int[n * t];
        for (int i = 0; i < n; i++) {
            EditRequest req = requests.get(i);
            for (int j = 0; j < t; j++) {
                SubjectLocator.Located loc = locator.locate(templates.templates().get(j).replace("{}", req.template()),
                        req.subject(), new int[0]);
                ids.add(loc.ids());
                positions[i * t + j] = loc.subjectLast();
            }
        }
        int[] layers = hp.layers().clone();
        Arrays.sort(layers);
        Map<Integer, KeyCovariance> cov = new java.util.HashMap<>();
        for (int layer : layers) {
            cov.put(layer, hp.mom2Adjustment() ? covariance.apply(layer)
                    : KeyCovariance.identity(model.architecture().mlpDownProjection(layer).inDim()));
        }
        return new Batch(requests, ids, positions, t, layers, cov);
    }

    private void update(LanguageModel model, Batch batch, EditDiagnostics diag) {
        List<EditRequest> requests = batch.requests();
        int n = requests.size();
        int zLayer = hp.zLayer();
        HookPoint zSite = HookPoint.blockOutput(zLayer);
        ValueOptimizer values = new ValueOptimizer(model);
        double[][] z = new double[n][];
        int clamped = 0;
        // one search over the whole batch: each request's δ reaches only its own prompts (ValueOptimizer)
        List<ValueOptimizer.Result> found = values.optimiseAll(requests, templates.templates(), zSite,
                hp.valueSettings());
        for (int i = 0; i < n; i++) {
            ValueOptimizer.Result r = found.get(i);
            z[i] = r.target();
            clamped += r.clamped() ? 1 : 0;
            diag.lossTrajectory(n == 1 ? "valueSearch" : requests.get(i).id() + ".valueSearch", r.losses());
            recordNumericEvents(diag, requests.get(i), r);
        }
        diag.put("valueClampedShare", (double) clamped / n);

        List<int[]> ids = batch.ids();
        int[] positions = batch.positions();
        int t = batch.templateCount();
        int[] layers = batch.layers();
        int m = layers.length;
        double[] initialResidual = new double[n];
        for (int li = 0; li < m; li++) {
            int layer = layers[li];
            Projection proj = model.architecture().mlpDownProjection(layer);
            Map<HookPoint, double[][]> acts = new ActivationReader(model).read(ids, positions,
                    List.of(HookPoint.mlpKey(layer), zSite));
            double[][] keysAll = acts.get(HookPoint.mlpKey(layer));
            double[][] zAll = acts.get(zSite);
            double[][] k = new double[n][];
            double[][] resid = new double[n][];
            double residNorm = 0;
            for (int i = 0; i < n; i++) {
                double[] bare = keysAll[i * t];
                if (t > 1) {
                    double[] pre = Vectors.mean(Arrays.copyOfRange(keysAll, i * t + 1, i * t + t));
                    k[i] = Vectors.scale(Vectors.add(bare, pre), 0.5);
                } else {
                    k[i] = bare;
                }
                double[] r = Vectors.sub(z[i], zAll[i * t]);
                residNorm += Vectors.dot(r, r);
                if (li == 0) {
                    initialResidual[i] = Vectors.norm(r);
                }
                resid[i] = Vectors.scale(r, 1.0 / (m - li));
            }
            if (n > 1) {
                keyConflicts(requests, k, resid, layer, diag);
            }
            DMatrixRMaj kMat = Matrices.ofColumns(k); // d_k × n
            DMatrixRMaj rMat = Matrices.ofColumns(resid); // d × n
            DMatrixRMaj delta = solveUpdate(kMat, rMat, batch.covariances().get(layer), hp.mom2UpdateWeight());
            if (!allFinite(k) || !allFinite(resid)) {
                throw new NonFiniteValueException(n == 1 ? requests.get(0) : null, "memit update of layer " + layer,
                        allFinite(k) ? "target residuals z − h" : "keys", -1, -1, n + " request(s) in the batch");
            }
            if (!Matrices.allFinite(delta)) {
                throw new NonFiniteValueException(n == 1 ? requests.get(0) : null, "memit update of layer " + layer,
                        "ΔW", -1, -1, "solve of (λC + KKᵀ) ΔWᵀ = K Rᵀ for " + n + " request(s)");
            }
            double norm = Matrices.frobenius(delta);
            diag.layerUpdateNorm(layer, norm);
            diag.put("residualNorm.layer" + layer, Math.sqrt(residNorm / n));
            double wNorm = RomeEditor.frobenius(model.parameters().floats(proj.weightName()));
            diag.put("relativeUpdateNorm.layer" + layer, norm / wNorm);
            model.parameters().addMatrix(proj, Vectors.toFloat(delta.data));
        }
        reached(model, batch, z, initialResidual, zSite, diag);
    }

    /**
     * How much of the wanted change the spread update delivers at the z-layer: {@code 1 − ‖z − h‖ / ‖z − h₀‖}
     * per request on the bare prompt (1: the target residual is met exactly; it is fitted only in the
     * least-squares sense, against λC).
     */
    private static void reached(LanguageModel model, Batch batch, double[][] z, double[] initialResidual, HookPoint zSite,
            EditDiagnostics diag) {
        int n = batch.requests().size();
        int t = batch.templateCount();
        List<int[]> bare = new ArrayList<>(n);
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            bare.add(batch.ids().get(i * t));
            pos[i] = batch.positions()[i * t];
        }
        double[][] h = new ActivationReader(model).read(bare, pos, List.of(zSite)).get(zSite);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            double wanted = initialResidual[i];
            if (wanted <= 1e-3 * Vectors.norm(z[i])) {
                continue; // nothing left to change for this request (a later round, target already met)
            }
            double share = 1 - Vectors.norm(Vectors.sub(z[i], h[i])) / wanted;
            sum += share;
            min = Math.min(min, share);
            counted++;
        }
        if (counted == 0) {
            return;
        }
        diag.put("targetReachedMean", sum / counted);
        diag.put("targetReachedMin", min);
    }

    /** Cosine above which two keys of a batch are counted as (nearly) the same key. */
    static final double CONFLICT_COSINE = 0.95;

    /**
     * Edits whose keys at {@code layer} are nearly collinear but whose residuals (wanted changes) differ cannot both be
     * met by one linear update: records the largest key cosine of the batch and how many pairs exceed
     * {@link #CONFLICT_COSINE}, and warns about them.
     */
    private static void keyConflicts(List<EditRequest> requests, double[][] k, double[][] resid, int layer,
            EditDiagnostics diag) {
        int n = k.length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = Vectors.norm(k[i]);
        }
        double max = -1;
        int pairs = 0;
        String example = null;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double cos = Vectors.dot(k[i], k[j]) / (norms[i] * norms[j] + 1e-30);
                max = Math.max(max, cos);
                if (cos > CONFLICT_COSINE && Vectors.cosine(resid[i], resid[j]) < CONFLICT_COSINE) {
                    pairs++;
                    if (example == null) {
                        example = String.format(java.util.Locale.ROOT, "'%s' and '%s' (cosine %.3f)",
                                requests.get(i).subject(), requests.get(j).subject(), cos);
                    }
                }
            }
        }
        diag.put("keyCosineMax.layer" + layer, max);
        diag.put("conflictingKeyPairs.layer" + layer, pairs);
        if (pairs > 0) {
            diag.warn(pairs + " pair(s) of edits have nearly the same key at layer " + layer + " but different "
                    + "targets, e.g. " + example + ": one linear update cannot meet both");
        }
    }

    /**
     * The MEMIT layer update {@code ΔW = R Kᵀ (λC + KKᵀ)⁻¹} ({@code d × d_k}), computed as the
     * transpose of {@code (λC + KKᵀ)⁻¹ K Rᵀ} by a Cholesky solve.
     */
    public static DMatrixRMaj solveUpdate(DMatrixRMaj k, DMatrixRMaj r, KeyCovariance c, double lambda) {
        int dk = k.numRows;
        boolean nativeRefused = false;
        if (dk >= BlockedCholesky.NATIVE_FROM) {
            DMatrixRMaj delta = solveUpdateNatively(k, r, c, lambda);
            if (delta != null) {
                return delta;
            }
            nativeRefused = true; // not numerically positive definite: EJML's Cholesky, then LU, below
        }
        // λC + KKᵀ in C's copy itself (on GPT-2 XL each dk × dk float64 array is 328 MB)
        DMatrixRMaj a = DMatrixRMaj.wrap(dk, dk, c.matrix());
        CommonOps_DDRM.scale(lambda, a);
        CommonOps_DDRM.multAddTransB(k, k, a); // += KKᵀ, entry by entry as multTransB sums it
        DMatrixRMaj rhs = Matrices.multiplyTransB(k, r); // d_k × d
        DMatrixRMaj x = nativeRefused ? Matrices.solveSpdInJava(a, rhs) : Matrices.solveSpd(a, rhs);
        DMatrixRMaj delta = new DMatrixRMaj(x.numCols, x.numRows);
        CommonOps_DDRM.transpose(x, delta);
        return delta;
    }

    /**
     * {@link #solveUpdate} for large key dimensions, all in native float64 memory: {@code C} streamed into a native
     * array ({@link KeyCovariance#nativeMatrix}), {@code λC + KKᵀ} formed in it block row by block row, factored in
     * place ({@link BlockedCholesky#factor}) and solved in place on {@code K Rᵀ}. On GPT-2 XL the Java path held
     * {@code C}'s 328 MB three times (a heap copy, {@code λC + KKᵀ} in it, a native copy to factor) and the right-hand
     * sides twice. Returns null when {@code λC + KKᵀ} is not numerically positive definite.
     */
    static DMatrixRMaj solveUpdateNatively(DMatrixRMaj k, DMatrixRMaj r, KeyCovariance c, double lambda) {
        int dk = k.numRows;
        int d = r.numRows;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = c.nativeMatrix(m);
            a.muli(Scalars.like(a, lambda));
            NDArray kn = NativeMatrices.of(m, k.data, dk, k.numCols); // d_k × n
            int block = 256;
            for (int i = 0; i < dk; i += block) {
                try (NDScope s = new NDScope()) {
                    s.suppressNotUsedWarning();
                    NDIndex rows = new NDIndex(i + ":" + Math.min(dk, i + block));
                    a.set(rows, a.get(rows).add(kn.get(rows).matMul(kn.transpose())));
                }
            }
            NDArray x = kn.matMul(NativeMatrices.of(m, r.data, d, r.numCols).transpose()); // K Rᵀ: d_k × d
            BlockedCholesky.NativeFactor f = BlockedCholesky.factor(a, 0);
            if (f == null) {
                return null;
            }
            f.solveInPlace(x);
            double[] delta = x.transpose().reshape(-1).toDoubleArray(); // ΔW = Xᵀ, row-major d × d_k
            return DMatrixRMaj.wrap(d, dk, delta);
        }
    }

    private static boolean allFinite(double[][] rows) {
        for (double[] r : rows) {
            if (!Vectors.allFinite(r)) {
                return false;
            }
        }
        return true;
    }

    /** Non-finite value-search steps that were recovered by repeating them: a warning each and a count. */
    static void recordNumericEvents(EditDiagnostics diag, EditRequest request, ValueOptimizer.Result r) {
        if (r.numericEvents().isEmpty()) {
            return;
        }
        diag.put("nonFiniteStepsRepeated", diag.values().getOrDefault("nonFiniteStepsRepeated", 0.0)
                + r.numericEvents().size());
        for (String e : r.numericEvents()) {
            diag.warn("case " + request.id() + ": " + e);
        }
    }
}
