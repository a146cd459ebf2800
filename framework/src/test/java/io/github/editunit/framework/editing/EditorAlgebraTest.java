package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.Projection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EditorAlgebraTest {

    /** MLP output (W k + b) of a layer, computed from the stored weights for a key. */
    static double[] apply(LanguageModel m, Projection p, double[] k) {
        float[] w = m.parameters().matrix(p); // [out, in]
        float[] b = m.parameters().get(p.biasName()).toFloatArray();
        double[] y = new double[p.outDim()];
        for (int o = 0; o < p.outDim(); o++) {
            double s = b[o];
            for (int i = 0; i < p.inDim(); i++) {
                s += (double) w[o * p.inDim() + i] * k[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static void assertClose(double[] actual, double[] expected, double relTol) {
        double scale = Vectors.norm(expected);
        assertThat(Vectors.norm(Vectors.sub(actual, expected))).isLessThan(relTol * scale);
    }

    /** Keys and MLP outputs of every template's prompt at the subject's last token, read through hooks. */
    private static java.util.Map<HookPoint, double[][]> templateActivations(LanguageModel m, ContextTemplates t,
            EditRequest req, int layer) {
        SubjectLocator loc = new SubjectLocator(m.tokenizer());
        List<int[]> ids = new ArrayList<>();
        int[] pos = new int[t.size()];
        for (int j = 0; j < t.size(); j++) {
            SubjectLocator.Located l = loc.locate(t.templates().get(j).replace("{}", req.template()), req.subject(),
                    new int[0]);
            ids.add(l.ids());
            pos[j] = l.subjectLast();
        }
        return new ActivationReader(m).read(ids, pos, List.of(HookPoint.mlpKey(layer), HookPoint.mlpOutput(layer)));
    }

    private static double relativeDistance(double[] a, double[] b) {
        return Vectors.norm(Vectors.sub(a, b)) / Vectors.norm(b);
    }

    /**
     * ROME as released: the left vector is u = C⁻¹k̄ with k̄ the mean key over all templates, the bare
     * "{}" included, recomputed here from keys read through hooks; the denominator is uᵀkᵘ and the
     * update writes v* for the bare prompt's key. Rules out p-ROME's u = C⁻¹kᵘ (the old test held for
     * any u), a k̄ without the bare "{}" template (the mean of the prefixed keys only), and the
     * consistent denominator k̄ᵀC⁻¹k̄.
     */
    @Test
    void romeOriginalUsesTheInverseCovarianceOfTheMeanKeyOverAllTemplatesAndWritesVStarForTheBareKey() {
        try (LanguageModel m = EditingFixture.model(1)) {
            int layer = 1;
            KeyCovariance c = EditingFixture.covariance(m, layer);
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 3}, {8, 3}}, 3);
            RomeEditor rome = new RomeEditor(EditingFixture.rome(layer, KeyMode.ORIGINAL), l -> c, t);
            EditRequest req = EditingFixture.request();
            double[][] keys = templateActivations(m, t, req, layer).get(HookPoint.mlpKey(layer));
            double[] kBar = Vectors.mean(keys);
            double[] kPrefixedOnly = Vectors.mean(java.util.Arrays.copyOfRange(keys, 1, keys.length));
            double[] kU = keys[0];
            double[] expectedU = c.solve(kBar);
            // the wrong variants are measurably different on this model
            assertThat(relativeDistance(c.solve(kU), expectedU)).as("C⁻¹kᵘ differs").isGreaterThan(1e-2);
            assertThat(relativeDistance(c.solve(kPrefixedOnly), expectedU)).as("k̄ without {} differs")
                    .isGreaterThan(1e-3);

            RomeEditor.Update up = rome.compute(m, c, req);
            assertThat(relativeDistance(up.kBar(), kBar)).isLessThan(1e-6);
            assertThat(relativeDistance(up.kUnprefixed(), kU)).isLessThan(1e-6);
            assertThat(relativeDistance(up.u(), expectedU)).isLessThan(1e-6);
            double denominator = Vectors.dot(expectedU, kU);
            assertThat(up.denominator()).isCloseTo(denominator, within(1e-6 * Math.abs(denominator)));
            assertThat(Math.abs(Vectors.dot(expectedU, kBar) - denominator)).as("k̄ᵀC⁻¹k̄ differs")
                    .isGreaterThan(1e-3 * Math.abs(denominator));
            Projection p = m.architecture().mlpDownProjection(layer);
            try (EditOutcome o = rome.apply(m, req)) {
                // W' kᵘ + b = v*
                assertClose(apply(m, p, up.kUnprefixed()), up.vStar(), 1e-4);
                // and the running model now produces v* at the subject's last token of the bare prompt
                SubjectLocator.Located loc = new SubjectLocator(m.tokenizer())
                        .locate(req.template(), "Danielle Darrieux", new int[0]);
                double[] out = new ActivationReader(m).read(List.of(loc.ids()), new int[] {loc.subjectLast()},
                        HookPoint.mlpOutput(layer))[0];
                assertClose(out, up.vStar(), 1e-4);
                assertThat(o.diagnostics().value("denominator")).isCloseTo(up.denominator(), within(1e-9));
                assertThat(o.changedTensors()).containsExactly(p.weightName());
            }
        }
    }

    /**
     * C-ROME: the residual is v* minus the mean MLP output over all templates (read here through
     * hooks), the denominator the positive quadratic form k̄ᵀC⁻¹k̄ of the independently averaged key,
     * and the update writes v* for k̄. Rules out the residual taken from the bare prompt's output
     * (ROME's v* − Wkᵘ) and the denominator uᵀkᵘ; the old test compared the denominator with itself.
     */
    @Test
    void cRomeResidualIsFromTheMeanOutputAndItsDenominatorIsThePositiveQuadraticForm() {
        try (LanguageModel m = EditingFixture.model(2)) {
            int layer = 2;
            KeyCovariance c = EditingFixture.covariance(m, layer);
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 3}, {8, 3}}, 4);
            RomeEditor crome = new RomeEditor(EditingFixture.rome(layer, KeyMode.CONSISTENT), l -> c, t);
            EditRequest req = EditingFixture.request();
            java.util.Map<HookPoint, double[][]> acts = templateActivations(m, t, req, layer);
            double[] kBar = Vectors.mean(acts.get(HookPoint.mlpKey(layer)));
            double[][] outs = acts.get(HookPoint.mlpOutput(layer));
            double[] outBar = Vectors.mean(outs);
            RomeEditor.Update up = crome.compute(m, c, req);
            double[] expected = Vectors.sub(up.vStar(), outBar);
            double[] bareResidual = Vectors.sub(up.vStar(), outs[0]);
            assertThat(relativeDistance(bareResidual, expected)).as("the bare residual differs").isGreaterThan(1e-2);
            assertThat(relativeDistance(up.residual(), expected)).isLessThan(1e-6);
            double quadratic = Vectors.dot(kBar, c.solve(kBar));
            assertThat(up.denominator()).isPositive().isCloseTo(quadratic, within(1e-6 * quadratic));
            double mixed = Vectors.dot(c.solve(kBar), acts.get(HookPoint.mlpKey(layer))[0]);
            assertThat(Math.abs(mixed - quadratic)).as("uᵀkᵘ differs").isGreaterThan(1e-3 * quadratic);
            Projection p = m.architecture().mlpDownProjection(layer);
            // the averaged output equals the model output at the averaged key (W is linear)
            assertClose(apply(m, p, kBar), outBar, 1e-4);
            try (EditOutcome o = crome.apply(m, req)) {
                assertClose(apply(m, p, kBar), up.vStar(), 1e-4);
            }
        }
    }

    /**
     * p-ROME: the bare prompt's key everywhere (read here through a hook): u = C⁻¹kᵘ, denominator
     * kᵘᵀC⁻¹kᵘ and residual v* − Wkᵘ. Rules out ROME's C⁻¹k̄ direction and C-ROME's mean-output residual.
     */
    @Test
    void pRomeUsesTheBarePromptKeyEverywhere() {
        try (LanguageModel m = EditingFixture.model(3)) {
            KeyCovariance c = EditingFixture.covariance(m, 0);
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 2}}, 5);
            RomeEditor prome = new RomeEditor(EditingFixture.rome(0, KeyMode.PROMPT_ONLY), l -> c, t);
            EditRequest req = EditingFixture.request();
            java.util.Map<HookPoint, double[][]> acts = templateActivations(m, t, req, 0);
            double[] kU = acts.get(HookPoint.mlpKey(0))[0];
            double[] kBar = Vectors.mean(acts.get(HookPoint.mlpKey(0)));
            assertThat(relativeDistance(c.solve(kBar), c.solve(kU))).as("C⁻¹k̄ differs").isGreaterThan(1e-2);
            RomeEditor.Update up = prome.compute(m, c, req);
            assertThat(relativeDistance(up.u(), c.solve(kU))).isLessThan(1e-6);
            double quadratic = Vectors.dot(kU, c.solve(kU));
            assertThat(up.denominator()).isCloseTo(quadratic, within(1e-6 * quadratic));
            assertThat(relativeDistance(up.residual(), Vectors.sub(up.vStar(), acts.get(HookPoint.mlpOutput(0))[0])))
                    .isLessThan(1e-6);
        }
    }

    /**
     * 12: EJML's path; 1,100 (above {@code BlockedCholesky.NATIVE_FROM}): {@code λC + KKᵀ} formed, factored and solved
     * in native memory (MemitEditor.solveUpdateNatively). Rules out, on either path, λ left out, {@code KKᵀ} left out
     * or added as {@code KᵀK}'s wrong shape, and a solution not transposed back.
     */
    @ParameterizedTest
    @ValueSource(ints = {12, 1100})
    void memitLayerUpdateSolvesItsNormalEquations(int dk) {
        SplittableRandom r = new SplittableRandom(9);
        int d = 5;
        int n = 4;
        double[][] keys = new double[n][dk];
        double[][] resid = new double[n][d];
        for (double[] k : keys) {
            for (int i = 0; i < dk; i++) {
                k[i] = r.nextGaussian();
            }
        }
        for (double[] v : resid) {
            for (int i = 0; i < d; i++) {
                v[i] = r.nextGaussian();
            }
        }
        // an SPD covariance
        DMatrixRMaj g = new DMatrixRMaj(dk, dk);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = r.nextGaussian();
        }
        DMatrixRMaj cm = new DMatrixRMaj(dk, dk);
        CommonOps_DDRM.multTransB(g, g, cm);
        CommonOps_DDRM.scale(1.0 / dk, cm);
        for (int i = 0; i < dk; i++) {
            cm.add(i, i, 0.1); // well conditioned at both sizes
        }
        KeyCovariance c = new KeyCovariance() {
            @Override
            public double[] solve(double[] k) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double[] matrix() {
                return cm.data.clone();
            }

            @Override
            public int dim() {
                return dk;
            }
        };
        double lambda = 3.5;
        DMatrixRMaj kMat = Matrices.ofColumns(keys);
        DMatrixRMaj rMat = Matrices.ofColumns(resid);
        DMatrixRMaj delta = MemitEditor.solveUpdate(kMat, rMat, c, lambda);
        assertThat(delta.numRows).isEqualTo(d);
        assertThat(delta.numCols).isEqualTo(dk);
        // ΔW (λC + KKᵀ) = R Kᵀ
        DMatrixRMaj a = cm.copy();
        CommonOps_DDRM.scale(lambda, a);
        CommonOps_DDRM.addEquals(a, Matrices.multiplyTransB(kMat, kMat));
        DMatrixRMaj lhs = Matrices.multiply(delta, a);
        DMatrixRMaj rhs = Matrices.multiplyTransB(rMat, kMat);
        for (int i = 0; i < lhs.data.length; i++) {
            assertThat(lhs.data[i]).isCloseTo(rhs.data[i], within(1e-9 * (1 + Math.abs(rhs.data[i]))));
        }
    }

    @Test
    void memitChangesOnlyItsLayersAndRestoresBitExactly() {
        try (LanguageModel m = EditingFixture.model(4)) {
            String hash = m.parameters().contentHash();
            MemitHyperparameters hp = new MemitHyperparameters(new int[] {0, 1}, 10, 0.5, 0.5, 0.75, 0.0625, 0.05,
                    200, true, 200, 6, 2, 1);
            KeyCovariance c0 = EditingFixture.covariance(m, 0);
            KeyCovariance c1 = EditingFixture.covariance(m, 1);
            ContextTemplates t = ContextTemplates.generateFromSeedWords(m, new int[][] {{6, 1}}, 2);
            assertThat(t.size()).isEqualTo(6);
            MemitEditor memit = new MemitEditor(hp, l -> l == 0 ? c0 : c1, t);
            List<EditRequest> reqs = new ArrayList<>();
            reqs.add(EditingFixture.request());
            reqs.add(new EditRequest("t2", "Velmora plays the instrument", "Velmora", "piano", "guitar"));
            float[] layer2 = m.parameters().get(m.architecture().mlpDownProjection(2).weightName()).toFloatArray();
            EditOutcome o = memit.apply(m, reqs);
            assertThat(o.changedTensors()).hasSize(2);
            assertThat(m.parameters().contentHash()).isNotEqualTo(hash);
            assertThat(m.parameters().get(m.architecture().mlpDownProjection(2).weightName()).toFloatArray())
                    .isEqualTo(layer2);
            assertThat(o.diagnostics().layerUpdateNorms()).containsOnlyKeys(0, 1);
            assertThat(o.restore()).isTrue();
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }

    @Test
    void memitReportsTwoEditsOfOneKeyWithDifferentTargetsAsAConflictAndRefinementRoundsStillRestore() {
        try (LanguageModel m = EditingFixture.model(8)) {
            String hash = m.parameters().contentHash();
            MemitHyperparameters hp = new MemitHyperparameters(new int[] {0, 1}, 10, 0.5, 0.5, 4, 0.0625, 0.05,
                    200, true, 200, 0, 2, 2);
            KeyCovariance c0 = EditingFixture.covariance(m, 0);
            KeyCovariance c1 = EditingFixture.covariance(m, 1);
            MemitEditor memit = new MemitEditor(hp, l -> l == 0 ? c0 : c1, ContextTemplates.bare());
            EditRequest a = EditingFixture.request();
            EditRequest b = new EditRequest("t2", a.prompt(), a.subject(), "German", a.groundTruth());
            EditOutcome o = memit.apply(m, List.of(a, b));
            // the same prompt: the same key at every layer, but the two targets want different changes
            assertThat(o.diagnostics().value("keyCosineMax.layer0")).isCloseTo(1.0, within(1e-9));
            assertThat(o.diagnostics().value("conflictingKeyPairs.layer0")).isEqualTo(1.0);
            assertThat(o.diagnostics().warnings()).anyMatch(w -> w.contains("nearly the same key at layer 0")
                    && w.contains("Danielle Darrieux"));
            assertThat(o.diagnostics().value("targetReachedMean")).isNotNull();
            assertThat(o.diagnostics().values()).containsKey("round2.relativeUpdateNorm.layer1");
            assertThat(o.restore()).isTrue();
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }

    @Test
    void ftLNeverLeavesTheBox() {
        try (LanguageModel m = EditingFixture.model(5)) {
            double eps = 2e-3;
            FineTuneEditor ft = new FineTuneEditor(new FineTuneHyperparameters(new int[] {1}, 25, 5e-2, 0, eps, 0.01,
                    false));
            Projection p = m.architecture().mlpDownProjection(1);
            float[] w0 = m.parameters().get(p.weightName()).toFloatArray();
            float[] b0 = m.parameters().get(p.biasName()).toFloatArray();
            try (EditOutcome o = ft.apply(m, EditingFixture.request())) {
                assertThat(o.method()).isEqualTo("ft-l");
                float[] w = m.parameters().get(p.weightName()).toFloatArray();
                float[] b = m.parameters().get(p.biasName()).toFloatArray();
                double maxW = 0;
                for (int i = 0; i < w.length; i++) {
                    maxW = Math.max(maxW, Math.abs(w[i] - w0[i]));
                }
                double maxB = 0;
                for (int i = 0; i < b.length; i++) {
                    maxB = Math.max(maxB, Math.abs(b[i] - b0[i]));
                }
                // the learning rate is far above ε, so the box is active: changes reach ε but never exceed it
                assertThat(maxW).isLessThanOrEqualTo(eps * (1 + 1e-5)).isGreaterThan(eps * 0.5);
                assertThat(maxB).isLessThanOrEqualTo(eps * (1 + 1e-5));
                assertThat(o.diagnostics().lossTrajectories().get("fineTune")).isNotEmpty();
            }
        }
    }

    @Test
    void aFailingEditRestoresTheWeightsBeforeThrowing() {
        try (LanguageModel m = EditingFixture.model(6)) {
            String hash = m.parameters().contentHash();
            KeyCovariance broken = new KeyCovariance() {
                @Override
                public double[] solve(double[] k) {
                    throw new IllegalStateException("statistics unavailable");
                }

                @Override
                public double[] matrix() {
                    throw new IllegalStateException("statistics unavailable");
                }

                @Override
                public int dim() {
                    return 96;
                }
            };
            RomeEditor rome = new RomeEditor(EditingFixture.rome(1, KeyMode.ORIGINAL), l -> broken,
                    ContextTemplates.bare());
            List<EditRequest> two = List.of(new EditRequest("a", "Velmora plays the instrument", "Velmora", "piano",
                    null), EditingFixture.request());
            assertThatThrownBy(() -> rome.apply(m, two)).isInstanceOf(EditFailedException.class)
                    .hasMessageContaining("statistics unavailable").hasMessageContaining("restored");
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }
}
