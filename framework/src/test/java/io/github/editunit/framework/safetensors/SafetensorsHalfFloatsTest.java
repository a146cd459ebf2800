package io.github.editunit.framework.safetensors;

import static io.github.editunit.framework.safetensors.HalfFloats.bf16ToFloat;
import static io.github.editunit.framework.safetensors.HalfFloats.floatToBf16;
import static io.github.editunit.framework.safetensors.HalfFloats.floatToHalf;
import static io.github.editunit.framework.safetensors.HalfFloats.halfToFloat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafetensorsHalfFloatsTest {

    @Test
    void everyHalfValueRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(halfToFloat(floatToHalf(f)))).isTrue();
            } else {
                assertThat(floatToHalf(f) & 0xffff).as("half 0x%04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void everyBf16ValueRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = bf16ToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(bf16ToFloat(floatToBf16(f)))).isTrue();
            } else {
                assertThat(floatToBf16(f) & 0xffff).as("bf16 0x%04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void halfKnownValuesAndSpecials() {
        assertThat(floatToHalf(1f)).isEqualTo((short) 0x3c00);
        assertThat(floatToHalf(-2f)).isEqualTo((short) 0xc000);
        assertThat(floatToHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(floatToHalf(0f)).isEqualTo((short) 0x0000);
        assertThat(floatToHalf(-0f)).isEqualTo((short) 0x8000);
        assertThat(floatToHalf(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Float.isNaN(halfToFloat(floatToHalf(Float.NaN)))).isTrue();
        assertThat(floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(floatToHalf(0x1p-14f)).isEqualTo((short) 0x0400); // smallest normal
        assertThat(halfToFloat((short) 0x03ff)).isEqualTo(0x3ffp-24f); // largest subnormal
        assertThat(1 / halfToFloat((short) 0x8000)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(floatToHalf(1e-9f)).isEqualTo((short) 0); // underflow keeps sign
        assertThat(floatToHalf(-1e-9f)).isEqualTo((short) 0x8000);
        assertThat(floatToHalf(1e6f)).isEqualTo((short) 0x7c00); // overflow to infinity
        assertThat(floatToHalf(Float.MIN_VALUE)).isEqualTo((short) 0);
    }

    @Test
    void halfRoundsToNearestEven() {
        float ulpAt1 = 0x1p-10f;
        assertThat(floatToHalf(1f + ulpAt1 / 2)).isEqualTo((short) 0x3c00); // tie -> even (down)
        assertThat(floatToHalf(1f + 3 * ulpAt1 / 2)).isEqualTo((short) 0x3c02); // tie -> even (up)
        assertThat(floatToHalf(Math.nextUp(1f + ulpAt1 / 2))).isEqualTo((short) 0x3c01);
        assertThat(floatToHalf(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(floatToHalf(65520f)).isEqualTo((short) 0x7c00); // tie at max rounds to even = inf
        assertThat(floatToHalf(0x1p-25f)).isEqualTo((short) 0); // half of smallest subnormal: tie -> 0
        assertThat(floatToHalf(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
        assertThat(floatToHalf(0x3p-25f)).isEqualTo((short) 2); // 1.5 units -> 2 (even)
        assertThat(floatToHalf(0x7ffp-25f)).isEqualTo((short) 0x0400); // rounds up into normals
    }

    @Test
    void bf16KnownValuesAndRounding() {
        assertThat(floatToBf16(1f)).isEqualTo((short) 0x3f80);
        assertThat(floatToBf16(-0f)).isEqualTo((short) 0x8000);
        assertThat(floatToBf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7f80);
        assertThat(Float.isNaN(bf16ToFloat(floatToBf16(Float.NaN)))).isTrue();
        // a NaN whose payload sits only in the low 16 bits must stay NaN, not become infinity
        assertThat(Float.isNaN(bf16ToFloat(floatToBf16(Float.intBitsToFloat(0x7f800001))))).isTrue();
        assertThat(floatToBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo((short) 0x3f80); // tie, even
        assertThat(floatToBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo((short) 0x3f82); // tie, even
        assertThat(floatToBf16(Float.intBitsToFloat(0x3f808001))).isEqualTo((short) 0x3f81);
        assertThat(floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80); // rounds to infinity
        assertThat(floatToBf16(Float.MIN_VALUE)).isEqualTo((short) 0); // subnormal tie -> 0
        assertThat(bf16ToFloat(floatToBf16(0x1p-130f))).isEqualTo(0x1p-130f); // subnormal exact
    }

    /**
     * Property check against exact double arithmetic: the encoded value is a nearest neighbour and
     * ties go to the even encoding (also the reference for BF16, which DJL's engine cannot run).
     */
    @Test
    void randomFloatsRoundToANearestEvenNeighbour() {
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 300_000; i++) {
            float x = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt())
                    : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(60) - 40));
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                continue;
            }
            checkNearestEven(x, floatToHalf(x) & 0xffff, true);
            checkNearestEven(x, floatToBf16(x) & 0xffff, false);
        }
    }

    private static double decode(int bits, boolean half) {
        return half ? halfToFloat((short) bits) : bf16ToFloat((short) bits);
    }

    private static void checkNearestEven(float x, int enc, boolean half) {
        double v = decode(enc, half);
        int magnitude = enc & 0x7fff;
        int infinity = half ? 0x7c00 : 0x7f80;
        double max = decode(infinity - 1, half);
        double limit = max + (max - decode(infinity - 2, half)) / 2; // values at or beyond round to inf
        if (Math.abs((double) x) >= limit) {
            assertThat(magnitude).as("%s overflows", x).isEqualTo(infinity);
            return;
        }
        assertThat(magnitude).as("%s", x).isLessThan(infinity);
        assertThat((enc & 0x8000) != 0).as("sign of %s", x).isEqualTo(Float.floatToRawIntBits(x) < 0);
        double err = Math.abs(x - v);
        int sign = enc & 0x8000;
        for (int neighbour : new int[] {magnitude - 1, magnitude + 1}) {
            if (neighbour < 0 || neighbour >= infinity) {
                continue;
            }
            double other = Math.abs(x - decode(sign | neighbour, half));
            assertThat(err).as("%s -> 0x%04x vs neighbour 0x%04x", x, enc, neighbour).isLessThanOrEqualTo(other);
            if (err == other) {
                assertThat(magnitude & 1).as("tie %s must go to even", x).isZero();
            }
        }
    }
}
