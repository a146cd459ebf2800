package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.engine.execution.FailureMessages;
import io.github.editunit.framework.evaluation.CaseEvaluation;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailureMessagesTest {

    private static final EditCase CASE = new EditCase("1", "The mother tongue of Danielle Darrieux is", "Danielle Darrieux",
            "English", "French", List.of(), List.of(), "P103", Set.of(), null, CaseSource.generated("t"));

    @Test
    void collapseMessageReadsLikeASentence() {
        CaseEvaluation e = new CaseEvaluation("1", "rome", 1, 0, 1, 0, 1, 0, 1, 1, 1, 41.2, 3910, true, 3, null, 1, 1,
                Map.of("denominator", 0.0502));
        assertThat(FailureMessages.collapsed(CASE, "rome", e, CollapseBound.parse("x1.5"), "")).isEqualTo(
                "model collapsed: perplexity rose from 41.2 to 3,910 (×95, bound ×1.5) after editing "
                        + "'Danielle Darrieux' → English with ROME; ROME denominator 0.0502");
    }

    @Test
    void nonFinitePerplexityIsSaidSo() {
        CaseEvaluation e = new CaseEvaluation("1", "c-rome", 1, 0, 1, 0, 1, 0, 1, 1, 1, 41.2, Double.POSITIVE_INFINITY, true,
                3, null, 1, 1, Map.of());
        assertThat(FailureMessages.collapsed(CASE, "c-rome", e, CollapseBound.parse("abs:200"), ""))
                .isEqualTo("model collapsed: perplexity rose from 41.2 to ∞ (non-finite, bound ≤ 200) after editing "
                        + "'Danielle Darrieux' → English with C-ROME");
    }
}
