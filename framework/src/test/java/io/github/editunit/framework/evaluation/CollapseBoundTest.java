package io.github.editunit.framework.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CollapseBoundTest {

    @Test
    @DisplayName("one-sided x1.5: a rise past ×1.5 violates, any fall does not (rules out: a default that became two-sided)")
    void oneSided() {
        CollapseBound b = CollapseBound.parse("x1.5");
        assertThat(b.twoSided()).isFalse();
        assertThat(b.violated(10, 15.01)).isTrue();
        assertThat(b.violated(10, 15)).isFalse();
        assertThat(b.violated(10, 0.3)).isFalse();
        assertThat(b.violated(10, Double.NaN)).isTrue();
        assertThat(b).hasToString("×1.5");
    }

    @Test
    @DisplayName("two-sided x0.5..x1.5: a fall below ×0.5 violates too, and is told apart from a rise "
            + "(rules out: parsing only the upper limit, comparing the lower limit as an absolute perplexity)")
    void twoSidedRatio() {
        CollapseBound b = CollapseBound.parse("x0.5..x1.5");
        assertThat(b.twoSided()).isTrue();
        assertThat(b.violated(10, 4.99)).isTrue();
        assertThat(b.fellBelow(10, 4.99)).isTrue();
        assertThat(b.violated(10, 5)).isFalse();
        assertThat(b.violated(10, 15.5)).isTrue();
        assertThat(b.fellBelow(10, 15.5)).isFalse();
        // a ratio, not an absolute 0.5: perplexity 0.6 of a baseline of 100 is a fall to ×0.006
        assertThat(b.violated(100, 0.6)).isTrue();
        assertThat(b.lowerLimit(100)).isEqualTo(50);
        assertThat(b).hasToString("×0.5..×1.5");
    }

    @Test
    @DisplayName("two-sided absolute abs:5..abs:200, and mixed or inverted limits are refused")
    void twoSidedAbsoluteAndErrors() {
        CollapseBound b = CollapseBound.parse("abs:5..abs:200");
        assertThat(b.relative()).isFalse();
        assertThat(b.violated(1000, 4)).isTrue();
        assertThat(b.violated(1000, 100)).isFalse();
        assertThat(b.violated(1, 201)).isTrue();
        assertThatThrownBy(() -> CollapseBound.parse("x0.5..abs:200")).hasMessageContaining("both limits");
        assertThatThrownBy(() -> CollapseBound.parse("x1.5..x0.5")).hasMessageContaining("lower limit must be below");
    }
}
