package io.github.editunit.hardedit.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {

    /** Rules out "1 cases" (always plural), "0 case" (singular for zero too) and "2 batchs". */
    @Test
    void singularOnlyForExactlyOne() {
        assertThat(Counts.of(1, "case")).isEqualTo("1 case");
        assertThat(Counts.of(0, "case")).isEqualTo("0 cases");
        assertThat(Counts.of(2, "error")).isEqualTo("2 errors");
        assertThat(Counts.of(1, "batch")).isEqualTo("1 batch");
        assertThat(Counts.of(3, "batch")).isEqualTo("3 batches");
        assertThat(Counts.noun(1, "step")).isEqualTo("step");
    }
}
