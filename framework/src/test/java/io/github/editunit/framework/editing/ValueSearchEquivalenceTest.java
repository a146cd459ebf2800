package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast edit path ({@link EditPath#FAST}: batched value search, LM head on the loss's rows only, activation reads
 * without the head) writes the same updates as the code it replaced ({@link EditPath#REFERENCE}, kept verbatim):
 * on the bundled model with its shipped hyperparameters, ROME edits of five cases and one MEMIT batch of twelve
 * (three refinement rounds), each computed by both paths in this JVM, differ by at most 1e-6 of the update's largest
 * entry (they are in fact bit-identical here).
 *
 * <p>What the bound rules out, each measured while this was built: padding the whole MEMIT batch to its longest
 * prompt instead of batching requests by their own padded length (ΔW off by 5e-6 of its scale: the attention rounds
 * differently at another length, and 40 Adam steps amplify it); running the LM head on fewer than 16 rows (δ off by
 * up to 1e-4); and, far beyond it, any error of the batch layout itself — a δ row injected into another request's
 * prompts, a KL row or target row read from the wrong sequence, rows kept before the last block instead of after it
 * (the last block skipped), a request whose search stops at another step.
 */
class ValueSearchEquivalenceTest {

    @TempDir
    Path stats;

    @AfterEach
    void resetPath() {
        System.clearProperty(EditPath.PROPERTY);
    }

    @Test
    void fastPathWritesTheReferenceUpdatesForRomeAndMemit() throws Exception {
        Path dir = BundledModels.tiny();
        List<EditCase> cases = CaseFileReader.readStrict(dir.resolve("suites/single-edit.json"));
        try (LanguageModel model = ModelFiles.load(dir)) {
            EditingContext ctx = new EditingContext(model, dir, new StatisticsCache(stats), null);
            ctx.covariances(new int[] {0, 1}, 2000); // both layers in one pass over the corpus
            EditorFactory factory = new EditorFactory(ctx);
            Map<String, float[]> base = new java.util.HashMap<>();
            for (String n : model.parameters().names()) {
                base.put(n, model.parameters().floats(n));
            }
            Editor rome = factory.create("rome", null, Map.of());
            for (EditCase c : cases.subList(0, 5)) {
                assertSameUpdate(model, rome, List.of(EditRequests.of(c)), base, "rome case " + EditRequests.of(c).id());
            }
            Editor memit = factory.create("memit", null, Map.of());
            assertSameUpdate(model, memit, EditRequests.of(cases.subList(0, 12)), base, "memit batch of 12");
        }
    }

    private static void assertSameUpdate(LanguageModel model, Editor editor, List<EditRequest> requests,
            Map<String, float[]> base, String what) {
        Map<String, float[]> reference = edited(model, editor, requests, EditPath.REFERENCE);
        Map<String, float[]> fast = edited(model, editor, requests, EditPath.FAST);
        assertThat(fast.keySet()).as(what).isEqualTo(reference.keySet());
        double scale = 0;
        double diff = 0;
        for (String n : reference.keySet()) {
            float[] w = base.get(n);
            float[] r = reference.get(n);
            float[] f = fast.get(n);
            for (int i = 0; i < w.length; i++) {
                double ur = (double) r[i] - w[i];
                double uf = (double) f[i] - w[i];
                scale = Math.max(scale, Math.abs(ur));
                diff = Math.max(diff, Math.abs(ur - uf));
            }
        }
        assertThat(scale).as(what + ": the update is not empty").isGreaterThan(1e-3);
        assertThat(diff).as(what + ": max |ΔW_fast − ΔW_reference| against 1e-6 × max |ΔW| = " + scale)
                .isLessThanOrEqualTo(1e-6 * scale);
    }

    private static Map<String, float[]> edited(LanguageModel model, Editor editor, List<EditRequest> requests,
            EditPath path) {
        System.setProperty(EditPath.PROPERTY, path.name().toLowerCase(java.util.Locale.ROOT));
        String hash = model.parameters().contentHash();
        try (EditOutcome o = editor.apply(model, requests)) {
            Map<String, float[]> out = new java.util.LinkedHashMap<>(o.editedValues());
            assertThat(o.restore()).isTrue();
            assertThat(model.parameters().contentHash()).isEqualTo(hash);
            return out;
        }
    }
}
