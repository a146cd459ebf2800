package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.model.LanguageModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A value search whose loss turns non-finite must fail with a named error, never stop early and
 * apply a truncated δ (what the value search used to do: {@code break} and return the last δ
 * with no warning). The weights of a layer above the edited one are scaled so far that the
 * forward overflows (finite weights, NaN loss), so keys and v_init are finite and only the search
 * breaks.
 */
class NonFiniteEditTest {

    @Test
    void nonFiniteLossFailsTheEditWithCaseStageQuantityAndStepAndRestoresTheWeights() {
        try (LanguageModel m = EditingFixture.model(3)) {
            KeyCovariance c = EditingFixture.covariance(m, 0);
            String poisoned = "transformer.h.2.mlp.c_fc.weight";
            float[] w = m.parameters().get(poisoned).toFloatArray();
            Arrays.fill(w, 3e37f);
            m.parameters().set(poisoned, w);
            String hash = m.parameters().contentHash();
            RomeEditor rome = new RomeEditor(EditingFixture.rome(0, KeyMode.ORIGINAL), l -> c, ContextTemplates.bare());

            assertThatThrownBy(() -> rome.apply(m, EditingFixture.request()))
                    .isInstanceOf(NonFiniteValueException.class)
                    .hasMessageContaining("case t1 ('Danielle Darrieux' → English)")
                    .hasMessageContaining("value search: non-finite loss at step 0 of 20")
                    .hasMessageContaining("repeated once")
                    .satisfies(e -> {
                        NonFiniteValueException n = (NonFiniteValueException) e;
                        assertThat(n.quantity()).isEqualTo("loss");
                        assertThat(n.step()).isZero();
                    });
            assertThat(m.parameters().contentHash()).as("weights restored").isEqualTo(hash);
        }
    }

    @Test
    void aFiniteSearchRecordsNoNumericEvents() {
        try (LanguageModel m = EditingFixture.model(3)) {
            KeyCovariance c = EditingFixture.covariance(m, 0);
            RomeEditor rome = new RomeEditor(EditingFixture.rome(0, KeyMode.ORIGINAL), l -> c, ContextTemplates.bare());
            try (EditOutcome o = rome.apply(m, EditingFixture.request())) {
                assertThat(o.diagnostics().values()).doesNotContainKey("nonFiniteStepsRepeated");
                assertThat(o.diagnostics().lossTrajectories().get("valueSearch")).allMatch(Double::isFinite);
            }
        }
    }
}
