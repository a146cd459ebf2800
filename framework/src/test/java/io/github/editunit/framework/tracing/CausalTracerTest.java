package io.github.editunit.framework.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Causal tracing on the bundled GPT-2 model: the invariants that hold for any correct trace. */
class CausalTracerTest {

    static LanguageModel model;
    static List<EditCase> cases;

    @BeforeAll
    static void load() throws Exception {
        model = ModelFiles.load(BundledModels.tiny());
        cases = CaseFileReader.readStrict(BundledModels.tiny().resolve("suites/single-edit.extended.json")).subList(0, 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static CausalTracer tracer(long seed) {
        return new CausalTracer(model, new CausalTracer.Options(2, 3.0, 1, seed, 256));
    }

    @Test
    @DisplayName("restoring the last layer's hidden state at the last token gives back the clean probability, and "
            + "corruption lowers it (rules out: restoring by writing the clean value at the wrong position or layer, "
            + "adding the clean value instead of clean − corrupted, noise that never reaches the model)")
    void lastHiddenStateRestoresTheCleanRun() {
        CausalTracer tracer = tracer(1);
        double std = 3 * tracer.subjectEmbeddingStd(cases);
        int last = model.config().layers() - 1;
        for (int i = 0; i < cases.size(); i++) {
            CaseTrace t = tracer.trace(cases.get(i), i, std);
            int lastPos = t.roles().length - 1;
            assertThat(t.restored().get(TraceSite.HIDDEN)[last][lastPos]).isCloseTo(t.pClean(), within(1e-5));
            assertThat(t.pCorrupted()).isLessThan(t.pClean() - 0.05);
            // the final layer's hidden state elsewhere never reaches the last position's prediction
            assertThat(t.restored().get(TraceSite.HIDDEN)[last][0]).isCloseTo(t.pCorrupted(), within(1e-6));
        }
    }

    @Test
    @DisplayName("positions before the subject are untouched by the corruption, so restoring them changes nothing "
            + "(rules out: noise added to every position instead of the subject's tokens)")
    void positionsBeforeTheSubjectAreClean() {
        EditCase base = cases.get(0);
        EditCase prefixed = new EditCase("prefixed", "As far as I know, " + base.prompt(), base.subject(), base.targetNew(),
                base.groundTruth(), List.of(), List.of(), null, Set.of(), null, base.source());
        CausalTracer tracer = tracer(1);
        CaseTrace t = tracer.trace(prefixed, 0, 3 * tracer.subjectEmbeddingStd(List.of(prefixed)));
        int before = 0;
        for (int p = 0; p < t.roles().length; p++) {
            if (t.roles()[p] == TokenRole.BEFORE_SUBJECT) {
                before++;
                for (TraceSite site : TraceSite.values()) {
                    for (int l = 0; l < model.config().layers(); l++) {
                        assertThat(t.restored().get(site)[l][p]).as("%s L%d pos %d", site, l, p)
                                .isCloseTo(t.pCorrupted(), within(1e-6));
                    }
                }
            }
        }
        assertThat(before).isGreaterThanOrEqualTo(3);
        assertThat(t.roles()).contains(TokenRole.LAST_SUBJECT, TokenRole.LAST);
    }

    @Test
    @DisplayName("same seed, same trace; another seed, another noise (rules out: unseeded noise, a seed that is ignored)")
    void seededNoise() {
        double std = 3 * tracer(1).subjectEmbeddingStd(cases);
        CaseTrace a = tracer(1).trace(cases.get(0), 0, std);
        CaseTrace b = tracer(1).trace(cases.get(0), 0, std);
        CaseTrace c = tracer(2).trace(cases.get(0), 0, std);
        assertThat(b.pCorrupted()).isEqualTo(a.pCorrupted());
        assertThat(b.restored().get(TraceSite.MLP)[0]).containsExactly(a.restored().get(TraceSite.MLP)[0]);
        assertThat(c.pCorrupted()).isNotEqualTo(a.pCorrupted());
    }

    @Test
    @DisplayName("the subjects' embedding spread is the standard deviation of the subject tokens' embedding rows "
            + "(rules out: the spread of the whole embedding matrix, position embeddings mixed in)")
    void embeddingSpread() {
        CausalTracer tracer = tracer(1);
        CausalTracer.Located l = tracer.locate(cases.get(0));
        float[] table = model.parameters().get(model.architecture().tokenEmbedding()).toFloatArray();
        int w = model.config().width();
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int p = l.subjectFirst(); p <= l.subjectLast(); p++) {
            for (int j = 0; j < w; j++) {
                double v = table[l.ids()[p] * w + j];
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double expected = Math.sqrt(sq / n - (sum / n) * (sum / n));
        assertThat(tracer.subjectEmbeddingStd(List.of(cases.get(0)))).isCloseTo(expected, within(1e-6));
    }

    @Test
    @DisplayName("ROME's window: layers l − w/2 … l + ⌈w/2⌉ − 1 clipped to the model, hidden states always one layer "
            + "(rules out: a window centred one layer off, a window applied to hidden states)")
    void windows() {
        CausalTracer t = new CausalTracer(model, new CausalTracer.Options(1, 3.0, 3, 1, 256));
        assertThat(t.window(TraceSite.MLP, 0)).containsExactly(0, 1);
        assertThat(t.window(TraceSite.MLP, 2)).containsExactly(1, 2, 3);
        assertThat(t.window(TraceSite.HIDDEN, 2)).containsExactly(2);
        CausalTracer ten = new CausalTracer(model, new CausalTracer.Options(1, 3.0, 10, 1, 256));
        assertThat(ten.window(TraceSite.ATTENTION, 1)).containsExactly(0, 1, 2, 3);
    }

    @Test
    @DisplayName("token roles as ROME groups them (rules out: a one-token subject counted as first rather than last "
            + "subject token, the token after the subject counted as further)")
    void roles() {
        assertThat(TokenRole.of(0, 0, 0, 5)).isEqualTo(TokenRole.LAST_SUBJECT);
        assertThat(TokenRole.of(1, 0, 0, 5)).isEqualTo(TokenRole.FIRST_SUBSEQUENT);
        assertThat(TokenRole.of(2, 0, 0, 5)).isEqualTo(TokenRole.FURTHER);
        assertThat(TokenRole.of(4, 0, 0, 5)).isEqualTo(TokenRole.LAST);
        assertThat(TokenRole.of(1, 1, 3, 5)).isEqualTo(TokenRole.FIRST_SUBJECT);
        assertThat(TokenRole.of(2, 1, 3, 5)).isEqualTo(TokenRole.MIDDLE_SUBJECT);
        assertThat(TokenRole.of(0, 1, 3, 5)).isEqualTo(TokenRole.BEFORE_SUBJECT);
    }
}
