package io.github.editunit.framework.editing;

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
            update(model, requests, diag);
        } catch (RuntimeException e) {
            params.restore(before);
            throw e instanceof EditFailedException ? e
                    : new EditFailedException("memit edit failed: " + e.getMessage() + " (weights restored)", e);
        }
        return new EditOutcome(method(), requests, model, before, hashBefore, diag, (System.nanoTime() - start) / 1e9);
    }

    private void update(LanguageModel model, List<EditRequest> requests, EditDiagnostics diag) {
        int n = requests.size();
        int zLayer = hp.zLayer();
        HookPoint zSite = HookPoint.blockOutput(zLayer);
        ValueOptimizer values = new ValueOptimizer(model);
        double[][] z = new double[n][];
        int clamped = 0;
        for (int i = 0; i < n; i++) {
            ValueOptimizer.Result r = values.optimise(requests.get(i), templates.templates(), zSite, hp.valueSettings());
            z[i] = r.target();
            clamped += r.clamped() ? 1 : 0;
            diag.lossTrajectory(n == 1 ? "valueSearch" : requests.get(i).id() + ".valueSearch", r.losses());
        }
        diag.put("valueClampedShare", (double) clamped / n);

        // token ids of every (request, template) and the subject-last positions
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
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

        int m = hp.layers().length;
        int[] layers = hp.layers().clone();
        Arrays.sort(layers);
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
                resid[i] = Vectors.scale(r, 1.0 / (m - li));
            }
            DMatrixRMaj kMat = Matrices.ofColumns(k); // d_k × n
            DMatrixRMaj rMat = Matrices.ofColumns(resid); // d × n
            DMatrixRMaj delta = solveUpdate(kMat, rMat, hp.mom2Adjustment()
                    ? covariance.apply(layer) : KeyCovariance.identity(proj.inDim()), hp.mom2UpdateWeight());
            if (!Matrices.allFinite(delta)) {
                throw new EditFailedException("memit update of layer " + layer + " is not finite");
            }
            double norm = Matrices.frobenius(delta);
            diag.layerUpdateNorm(layer, norm);
            diag.put("residualNorm.layer" + layer, Math.sqrt(residNorm / n));
            float[] flat = new float[delta.data.length];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = (float) delta.data[i];
            }
            double wNorm = RomeEditor.frobenius(model.parameters().get(proj.weightName()).toFloatArray());
            diag.put("relativeUpdateNorm.layer" + layer, norm / wNorm);
            model.parameters().addMatrix(proj, flat);
        }
    }

    /**
     * The MEMIT layer update {@code ΔW = R Kᵀ (λC + KKᵀ)⁻¹} ({@code d × d_k}), computed as the
     * transpose of {@code (λC + KKᵀ)⁻¹ K Rᵀ} by a Cholesky solve.
     */
    public static DMatrixRMaj solveUpdate(DMatrixRMaj k, DMatrixRMaj r, KeyCovariance c, double lambda) {
        int dk = k.numRows;
        DMatrixRMaj a = new DMatrixRMaj(dk, dk, true, c.matrix());
        CommonOps_DDRM.scale(lambda, a);
        DMatrixRMaj kkT = Matrices.multiplyTransB(k, k);
        CommonOps_DDRM.addEquals(a, kkT);
        DMatrixRMaj rhs = Matrices.multiplyTransB(k, r); // d_k × d
        DMatrixRMaj x = Matrices.solveSpd(a, rhs);
        DMatrixRMaj delta = new DMatrixRMaj(x.numCols, x.numRows);
        CommonOps_DDRM.transpose(x, delta);
        return delta;
    }
}
