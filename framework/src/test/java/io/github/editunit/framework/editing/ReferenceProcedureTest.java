package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.stats.StatisticsCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference procedures' quantities recomputed here from activations read through hooks and from
 * the formulas of algorithms.md, each compared with what the editors compute: the value search's
 * loss terms, clamp and early stop (§1.4), MEMIT's key averaging and residual spread (§2.2, §2.4),
 * the FT loss position (§3) and the template recipes (§1.2). Every test says which nearest wrong
 * variant it rules out; docs/verification.md lists the code mutations each one caught.
 */
class ReferenceProcedureTest {

    /** A request whose target is several tokens, so teacher forcing and the last-position loss differ. */
    static EditRequest multiTokenRequest() {
        return new EditRequest("mt", "The mother tongue of Danielle Darrieux is", "Danielle Darrieux",
                "Quixotic marmalade", "French");
    }

    private static double relativeDistance(double[] a, double[] b) {
        return Vectors.norm(Vectors.sub(a, b)) / Vectors.norm(b);
    }

    /** The rewriting prompts of the value search: each template with the prompt and the whole target. */
    private record Prompts(List<int[]> full, int[] promptLengths, int[] lookup, int[] target, int[] klIds, int klLookup) {}

    private static Prompts prompts(LanguageModel m, EditRequest req, List<String> templates) {
        SubjectLocator loc = new SubjectLocator(m.tokenizer());
        int[] target = loc.targetIds(req.targetNew());
        List<int[]> full = new ArrayList<>();
        int[] lengths = new int[templates.size()];
        int[] lookup = new int[templates.size()];
        for (int j = 0; j < templates.size(); j++) {
            SubjectLocator.Located l = loc.locate(templates.get(j).replace("{}", req.template()), req.subject(),
                    new int[0]);
            lengths[j] = l.ids().length;
            lookup[j] = l.subjectLast();
            int[] s = Arrays.copyOf(l.ids(), l.ids().length + target.length);
            System.arraycopy(target, 0, s, l.ids().length, target.length);
            full.add(s);
        }
        SubjectLocator.Located kl = loc.locate("{} is a", req.subject(), new int[0]);
        return new Prompts(full, lengths, lookup, target, kl.ids(), kl.subjectLast());
    }

    /**
     * The value search's objective at δ, recomputed from algorithms.md §1.4: δ added at {@code site}
     * at the subject's last token of every prompt; the NLL averaged over every target token of every
     * template, each token predicted from the tokens before it (teacher forcing); KL(P_δ ‖ P_0) of the
     * next token after the subject in "{s} is a"; weight decay ‖δ‖ / ‖v_init‖².
     *
     * @return {nll, kl, decay}
     */
    private static double[] objective(LanguageModel m, Prompts p, HookPoint site, double[] delta, double initNorm) {
        List<int[]> seqs = new ArrayList<>(p.full());
        seqs.add(p.klIds());
        int n = seqs.size();
        int[] batch = new int[n];
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            batch[i] = i;
            pos[i] = i < p.full().size() ? p.lookup()[i] : p.klLookup();
        }
        float[][] withDelta = logProbs(m, seqs, site, delta, batch, pos);
        float[][] without = logProbs(m, seqs, site, new double[delta.length], batch, pos);
        int vocab = m.config().vocabSize();
        int t = withDelta[0].length / vocab;
        double nll = 0;
        int count = 0;
        for (int j = 0; j < p.full().size(); j++) {
            for (int k = 0; k < p.target().length; k++) {
                int at = p.promptLengths()[j] - 1 + k;
                nll -= withDelta[j][at * vocab + p.target()[k]];
                count++;
            }
        }
        nll /= count;
        double kl = 0;
        int row = p.klLookup();
        for (int v = 0; v < vocab; v++) {
            double lq = withDelta[n - 1][row * vocab + v];
            double l0 = without[n - 1][row * vocab + v];
            kl += Math.exp(lq) * (lq - l0);
        }
        assertThat(t).isPositive();
        return new double[] {nll, kl, Vectors.norm(delta) / (initNorm * initNorm)};
    }

    /** Log-probabilities {@code [sequence][position * vocab + token]} with δ injected at each (batch, position). */
    private static float[][] logProbs(LanguageModel m, List<int[]> seqs, HookPoint site, double[] delta, int[] batch,
            int[] pos) {
        try (NDManager scope = m.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            NDArray d = scope.create(Vectors.toFloat(delta)).reshape(1, delta.length);
            ForwardHooks hooks = new ForwardHooks().inject(site, d, batch, pos, new int[batch.length]);
            NDArray logp = m.logits(m.batch(scope, seqs), hooks).logSoftmax(-1);
            int per = (int) (logp.getShape().get(1) * logp.getShape().get(2));
            float[] flat = logp.toFloatArray();
            float[][] out = new float[seqs.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * per, (i + 1) * per);
            }
            return out;
        }
    }

    private static double initNorm(LanguageModel m, Prompts p, HookPoint site) {
        return Vectors.norm(new ActivationReader(m).read(List.of(p.full().get(0)), new int[] {p.lookup()[0]}, site)[0]);
    }

    /**
     * Before the first step (δ = 0) the loss is the NLL alone, and it equals the mean over every target
     * token of every template, teacher-forced. Rules out the loss read on the bare prompt only, every
     * target token read at the last prompt position (FT's quirk), and a sum instead of a mean.
     */
    @Test
    void valueSearchNllIsTheTeacherForcedMeanOverAllTemplatesAndTokens() {
        try (LanguageModel m = EditingFixture.model(21)) {
            EditRequest req = multiTokenRequest();
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 4}}, 6);
            Prompts p = prompts(m, req, t.templates());
            assertThat(p.target().length).as("precondition: a multi-token target").isGreaterThanOrEqualTo(2);
            HookPoint site = HookPoint.mlpOutput(1);
            ValueOptimizer.Result r = new ValueOptimizer(m).optimise(req, t.templates(), site,
                    new ValueOptimizer.Settings(1, 0.5, 0.5, 0.0625, 4, 0));
            double[] terms = objective(m, p, site, new double[m.config().width()], initNorm(m, p, site));
            assertThat(terms[1]).isCloseTo(0, within(1e-6));
            assertThat(r.losses()).hasSize(1);
            assertThat(r.losses().get(0)).isCloseTo(terms[0], within(1e-4 * terms[0]));
            // the wrong variants are measurably different here
            double bareOnly = 0;
            for (int k = 0; k < p.target().length; k++) {
                bareOnly -= m.tokenLogProbs(List.of(p.full().get(0))).get(0)[p.promptLengths()[0] - 1 + k];
            }
            bareOnly /= p.target().length;
            assertThat(Math.abs(bareOnly - terms[0])).as("bare-only NLL differs").isGreaterThan(1e-2);
        }
    }

    /**
     * After one Adam step the loss is NLL + kl·KL(P_δ ‖ P_0) + wd·‖δ‖/‖v_init‖², each term recomputed
     * at the search's own δ, in two runs that switch on one term each (KL 0.5, decay 0 and KL 0,
     * decay 0.5). Rules out the KL term missing or reversed (KL(P_0 ‖ P_δ)), the decay squared
     * (‖δ‖²) or relative to ‖v_init‖ instead of ‖v_init‖², and a term's factor ignored.
     */
    @Test
    void valueSearchKlAndWeightDecayTermsAreTheReferenceOnes() throws IOException {
        // the trained bundled model: its peaked next-token distributions make KL(P_δ ‖ P_0) and the reversed
        // KL differ (a random model's are near uniform, where the two agree to second order)
        try (LanguageModel m = io.github.editunit.framework.model.ModelFiles.load(
                io.github.editunit.models.BundledModels.tiny())) {
            EditRequest req = multiTokenRequest();
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 3}}, 7);
            Prompts p = prompts(m, req, t.templates());
            HookPoint site = HookPoint.mlpOutput(1);
            double init = initNorm(m, p, site);
            assertThat(Math.abs(init - 1)).as("precondition: ‖v_init‖ ≠ 1, so ‖δ‖/‖v‖ and ‖δ‖/‖v‖² differ")
                    .isGreaterThan(0.1);
            ValueOptimizer.Result klRun = new ValueOptimizer(m).optimise(req, t.templates(), site,
                    new ValueOptimizer.Settings(2, 2.0, 0, 0.5, 100, 0));
            double[] a = objective(m, p, site, klRun.delta(), init);
            double tol = 5e-6 * (1 + a[0]);
            assertThat(klRun.losses()).hasSize(2);
            assertThat(0.5 * a[1]).as("the KL term matters here").isGreaterThan(20 * tol);
            assertThat(klRun.losses().get(1)).isCloseTo(a[0] + 0.5 * a[1], within(tol));
            // the reversed KL is measurably different
            double[] reversed = reversedKl(m, p, site, klRun.delta());
            assertThat(Math.abs(reversed[0] - a[1]) * 0.5).as("KL(P_0 ‖ P_δ) differs").isGreaterThan(5 * tol);

            ValueOptimizer.Result decayRun = new ValueOptimizer(m).optimise(req, t.templates(), site,
                    new ValueOptimizer.Settings(2, 2.0, 0.5, 0, 100, 0));
            double[] b = objective(m, p, site, decayRun.delta(), init);
            assertThat(0.5 * b[2]).as("the decay term matters here").isGreaterThan(20 * tol);
            assertThat(decayRun.losses().get(1)).isCloseTo(b[0] + 0.5 * b[2], within(2e-5 * (1 + b[0])));
        }
    }

    /** KL(P_0 ‖ P_δ) at the KL prompt, the wrong direction, for the test's sensitivity check. */
    private static double[] reversedKl(LanguageModel m, Prompts p, HookPoint site, double[] delta) {
        List<int[]> seqs = List.of(p.klIds());
        float[] q = logProbs(m, seqs, site, delta, new int[] {0}, new int[] {p.klLookup()})[0];
        float[] z = logProbs(m, seqs, site, new double[delta.length], new int[] {0}, new int[] {p.klLookup()})[0];
        int vocab = m.config().vocabSize();
        double kl = 0;
        for (int v = 0; v < vocab; v++) {
            double l0 = z[p.klLookup() * vocab + v];
            double lq = q[p.klLookup() * vocab + v];
            kl += Math.exp(l0) * (l0 - lq);
        }
        return new double[] {kl};
    }

    /**
     * With a cap far below what the search wants, δ ends exactly on ‖δ‖ = clamp·‖v_init‖ (v_init read
     * here through a hook) and is reported clamped. Rules out no clamp and a cap relative to 1 or to
     * ‖v_init‖² instead of ‖v_init‖.
     */
    @Test
    void valueSearchClampsDeltaToTheNormCapOfVInit() {
        try (LanguageModel m = EditingFixture.model(23)) {
            EditRequest req = EditingFixture.request();
            ContextTemplates t = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 2}}, 8);
            Prompts p = prompts(m, req, t.templates());
            HookPoint site = HookPoint.mlpOutput(0);
            double init = initNorm(m, p, site);
            assertThat(Math.abs(init - 1)).as("precondition").isGreaterThan(0.1);
            ValueOptimizer.Result r = new ValueOptimizer(m).optimise(req, t.templates(), site,
                    new ValueOptimizer.Settings(6, 1.0, 0, 0, 0.05, 0));
            assertThat(Vectors.norm(r.init())).isCloseTo(init, within(1e-5 * init));
            assertThat(Vectors.norm(r.delta())).isCloseTo(0.05 * init, within(1e-6 * init));
            assertThat(r.clamped()).isTrue();
        }
    }

    /**
     * Early stop compares the loss of the current δ with early_stop_loss before stepping: a threshold
     * just above the first loss stops with δ = 0 after one evaluation, one just below does not stop.
     * Rules out a search that never stops early, and one that checks after the update (it would
     * return a moved δ).
     */
    @Test
    void valueSearchStopsEarlyOnTheCurrentLossBeforeStepping() {
        try (LanguageModel m = EditingFixture.model(24)) {
            EditRequest req = EditingFixture.request();
            List<String> bare = ContextTemplates.bare().templates();
            HookPoint site = HookPoint.mlpOutput(0);
            ValueOptimizer v = new ValueOptimizer(m);
            double first = v.optimise(req, bare, site, new ValueOptimizer.Settings(1, 0.5, 0.5, 0.0625, 4, 0))
                    .losses().get(0);
            ValueOptimizer.Result stops = v.optimise(req, bare, site,
                    new ValueOptimizer.Settings(5, 0.5, 0.5, 0.0625, 4, first + 1e-3));
            assertThat(stops.losses()).hasSize(1);
            assertThat(Vectors.norm(stops.delta())).isZero();
            ValueOptimizer.Result goesOn = v.optimise(req, bare, site,
                    new ValueOptimizer.Settings(5, 0.5, 0.5, 0.0625, 4, first - 1e-3));
            assertThat(goesOn.losses().size()).isGreaterThan(1);
            assertThat(Vectors.norm(goesOn.delta())).isPositive();
        }
    }

    /**
     * MEMIT's update of each layer, recomputed from algorithms.md §2.2 and §2.4: the key is the
     * two-level average ½[k("{}") + mean of the 5 prefixed keys], the residual z − h is read on the
     * bare prompt at the z-layer with the lower layers already updated, and layer i of m takes
     * (z − h)/(m − i): ΔW = r xᵀ with (λC + kkᵀ) x = k. Rules out the flat mean over all 6 templates,
     * the residual spread as (z − h)/m at every layer (or not at all), and h read before the lower
     * layer's update.
     */
    @Test
    void memitAveragesKeysInTwoLevelsAndSpreadsTheResidualOverTheRemainingLayers() {
        try (LanguageModel m = EditingFixture.model(25)) {
            double lambda = 50;
            MemitHyperparameters hp = new MemitHyperparameters(new int[] {0, 1}, 8, 0.5, 0.5, 4, 0.0625, 0.05,
                    lambda, true, 200, 6, 2, 1);
            ContextTemplates t = ContextTemplates.generateFromSeedWords(m, new int[][] {{6, 1}}, 2);
            assertThat(t.size()).isEqualTo(6);
            KeyCovariance c0 = EditingFixture.covariance(m, 0);
            KeyCovariance c1 = EditingFixture.covariance(m, 1);
            EditRequest req = EditingFixture.request();
            HookPoint zSite = HookPoint.blockOutput(1);
            double[] z = new ValueOptimizer(m).optimise(req, t.templates(), zSite, hp.valueSettings()).target();
            Projection p0 = m.architecture().mlpDownProjection(0);
            Projection p1 = m.architecture().mlpDownProjection(1);
            float[] w0 = m.parameters().matrix(p0);
            float[] w1 = m.parameters().matrix(p1);
            EditOutcome o = new MemitEditor(hp, l -> l == 0 ? c0 : c1, t).apply(m, List.of(req));
            double[] d0 = difference(m.parameters().matrix(p0), w0);
            double[] d1 = difference(m.parameters().matrix(p1), w1);
            float[] stored0 = m.parameters().floats(p0.weightName());
            assertThat(o.restore()).isTrue();

            double[] expected0 = memitLayerUpdate(m, t, req, 0, zSite, z, c0, lambda, 0.5, false);
            assertThat(relativeDistance(d0, expected0)).as("layer 0 takes half the residual").isLessThan(2e-3);
            double[] flatKey = memitLayerUpdate(m, t, req, 0, zSite, z, c0, lambda, 0.5, true);
            assertThat(relativeDistance(flatKey, expected0)).as("the flat mean key is measurably different")
                    .isGreaterThan(2e-2);
            // the model as MEMIT left it after layer 0: h and the layer-1 keys are read there
            m.parameters().set(p0.weightName(), stored0);
            double[] expected1 = memitLayerUpdate(m, t, req, 1, zSite, z, c1, lambda, 1.0, false);
            assertThat(relativeDistance(d1, expected1)).as("the last layer takes all that remains").isLessThan(2e-3);
        }
    }

    private static double[] difference(float[] after, float[] before) {
        double[] d = new double[after.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (double) after[i] - before[i];
        }
        return d;
    }

    /** ΔW (out × in, row-major) of one MEMIT layer from keys and h read through hooks on the model as it is. */
    private static double[] memitLayerUpdate(LanguageModel m, ContextTemplates t, EditRequest req, int layer,
            HookPoint zSite, double[] z, KeyCovariance c, double lambda, double share, boolean flatMean) {
        SubjectLocator loc = new SubjectLocator(m.tokenizer());
        List<int[]> ids = new ArrayList<>();
        int[] pos = new int[t.size()];
        for (int j = 0; j < t.size(); j++) {
            SubjectLocator.Located l = loc.locate(t.templates().get(j).replace("{}", req.template()), req.subject(),
                    new int[0]);
            ids.add(l.ids());
            pos[j] = l.subjectLast();
        }
        Map<HookPoint, double[][]> acts = new ActivationReader(m).read(ids, pos,
                List.of(HookPoint.mlpKey(layer), zSite));
        double[][] keys = acts.get(HookPoint.mlpKey(layer));
        double[] k = flatMean ? Vectors.mean(keys)
                : Vectors.scale(Vectors.add(keys[0], Vectors.mean(Arrays.copyOfRange(keys, 1, keys.length))), 0.5);
        double[] r = Vectors.scale(Vectors.sub(z, acts.get(zSite)[0]), share);
        int dk = k.length;
        DMatrixRMaj a = new DMatrixRMaj(dk, dk, true, c.matrix());
        CommonOps_DDRM.scale(lambda, a);
        for (int i = 0; i < dk; i++) {
            for (int j = 0; j < dk; j++) {
                a.add(i, j, k[i] * k[j]);
            }
        }
        DMatrixRMaj x = new DMatrixRMaj(dk, 1);
        assertThat(CommonOps_DDRM.solve(a, new DMatrixRMaj(dk, 1, true, k), x)).isTrue();
        double[] out = new double[r.length * dk];
        for (int o = 0; o < r.length; o++) {
            for (int i = 0; i < dk; i++) {
                out[o * dk + i] = r[o] * x.get(i, 0);
            }
        }
        return out;
    }

    /**
     * FT's loss (teacher_forced false, the papers') reads every target token at the last prompt
     * position; teacher_forced true reads token t after target tokens 0..t−1. The first recorded loss
     * (unedited weights) is recomputed for both, and only the trained layer changes. Rules out the two
     * positions swapped, a sum instead of a mean, and another layer trained.
     */
    @Test
    void ftLossIsReadAtTheLastPromptPositionUnlessTeacherForced() {
        try (LanguageModel m = EditingFixture.model(26)) {
            EditRequest req = multiTokenRequest();
            int[] prompt = m.tokenizer().encodeInput(req.prompt());
            int[] target = new SubjectLocator(m.tokenizer()).targetIds(req.targetNew());
            assertThat(target.length).as("precondition: a multi-token target").isGreaterThanOrEqualTo(2);
            float[] last = m.nextTokenLogProbs(prompt);
            double atLast = 0;
            for (int tok : target) {
                atLast -= last[tok];
            }
            atLast /= target.length;
            int[] full = Arrays.copyOf(prompt, prompt.length + target.length);
            System.arraycopy(target, 0, full, prompt.length, target.length);
            float[] lp = m.tokenLogProbs(List.of(full)).get(0);
            double forced = 0;
            for (int k = 0; k < target.length; k++) {
                forced -= lp[prompt.length - 1 + k];
            }
            forced /= target.length;
            assertThat(Math.abs(forced - atLast)).as("the two positions differ here").isGreaterThan(1e-2);
            for (boolean teacherForced : new boolean[] {false, true}) {
                FineTuneEditor ft = new FineTuneEditor(new FineTuneHyperparameters(new int[] {1}, 1, 1e-3, 0, 0, 0,
                        teacherForced));
                try (EditOutcome o = ft.apply(m, List.of(req))) {
                    double loss = o.diagnostics().lossTrajectories().get("fineTune").get(0);
                    double want = teacherForced ? forced : atLast;
                    assertThat(loss).as("teacher_forced " + teacherForced).isCloseTo(want, within(1e-4 * want));
                    Projection p = m.architecture().mlpDownProjection(1);
                    assertThat(o.changedTensors()).containsExactlyInAnyOrder(p.weightName(), p.biasName());
                }
            }
        }
    }

    /**
     * The template recipes through the editor factory, for every ROME mode: {@code "rome"} gives
     * ROME's end-of-text samples, {@code "seed-words"} (as {@code --set context_templates=seed-words})
     * gives "{}" plus n_gen / 5 continuations of each seed word per length, in the order length →
     * word → sample (21 templates for [[5,10],[10,10]]). Rules out the key ignored for a mode, n_gen
     * continuations per word (101 templates), the words in another order, and the end-of-text recipe
     * under the seed-words name.
     */
    @Test
    void templateRecipesAreSelectedForEveryRomeMode(@TempDir Path dir) throws IOException {
        try (LanguageModel m = EditingFixture.model(27)) {
            Path file = dir.resolve("rome.json");
            Files.writeString(file, "{\"layer\": 1, \"v_num_grad_steps\": 5, \"v_lr\": 0.5, \"clamp_norm_factor\": 4,"
                    + " \"mom2_adjustment\": false, \"mom2_n_samples\": 10,"
                    + " \"context_template_length_params\": [[5, 10], [10, 10]], \"template_seed\": 3}");
            EditingContext ctx = new EditingContext(m, null, new StatisticsCache(dir.resolve("stats")), null);
            EditorFactory factory = new EditorFactory(ctx);
            List<String> eos = ContextTemplates.generateFromEndOfText(m, new int[][] {{5, 10}, {10, 10}}, 3)
                    .templates();
            List<String> words = ContextTemplates.generateFromSeedWords(m, new int[][] {{5, 2}, {10, 2}}, 3)
                    .templates();
            assertThat(words).hasSize(21).isNotEqualTo(eos);
            for (int i = 0; i < 20; i++) {
                String word = ContextTemplates.SEED_WORDS.get((i % 10) / 2);
                assertThat(words.get(i + 1)).as("template " + (i + 1)).startsWith(word).endsWith(". {}");
            }
            for (String method : List.of("rome", "c-rome", "p-rome")) {
                RomeEditor seeded = (RomeEditor) factory.create(method, file, Map.of("context_templates", "seed-words"));
                assertThat(seeded.templates().templates()).as(method).isEqualTo(words);
                assertThat(seeded.hyperparameters().mode().method()).isEqualTo(method);
                RomeEditor rome = (RomeEditor) factory.create(method, file, Map.of());
                assertThat(rome.templates().templates()).as(method).isEqualTo(eos);
            }
        }
    }
}
