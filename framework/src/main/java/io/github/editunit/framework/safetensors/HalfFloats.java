package io.github.editunit.framework.safetensors;

/**
 * Conversions between float32 and the 16-bit formats IEEE binary16 (F16) and bfloat16 (BF16).
 * Float-to-16-bit conversions round to nearest, ties to even, overflow to infinity, keep the sign
 * of zero, produce subnormals where representable and keep NaN a (quiet) NaN. Java 17 has no
 * {@code Float.floatToFloat16}, hence this class.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** Decodes IEEE binary16 bits (low 16 bits of {@code bits}) to float32 exactly. */
    public static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // zero or subnormal, exact
            return sign != 0 ? -magnitude : magnitude;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Encodes a float32 as IEEE binary16 bits, rounding to nearest even. */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            // infinity keeps mantissa 0; NaN keeps its top payload bits and is made quiet
            return (short) (mant == 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13));
        }
        int halfExp = exp - 112;
        if (halfExp >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExp >= 1) {
            int h = sign | (halfExp << 10) | (mant >>> 13);
            int rest = mant & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
                h++; // a carry into the exponent is correct, up to infinity
            }
            return (short) h;
        }
        // result is subnormal or zero: value = m24 * 2^(exp - 150), unit is 2^-24
        int shift = 126 - exp;
        if (shift > 24) {
            return (short) sign;
        }
        int m24 = mant | 0x800000;
        int q = m24 >>> shift;
        int rest = m24 & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (q & 1) != 0)) {
            q++; // may become the smallest normal 0x0400, which is correct
        }
        return (short) (sign | q);
    }

    /** Decodes bfloat16 bits to float32 exactly. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Encodes a float32 as bfloat16 bits, rounding to nearest even. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040); // NaN: keep sign and payload top, force quiet
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
