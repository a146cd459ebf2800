package io.github.editunit.framework.model;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The precision the weights are kept in ({@code --dtype}, {@code hardedit.dtype}). The forward pass
 * computes in it; editing algebra (keys, covariance, v*, updates) stays float32/float64 whatever it
 * is (see README, "Memory and precision").
 */
public enum Precision {
    FLOAT32("float32", 4, DataType.FLOAT32),
    FLOAT16("float16", 2, DataType.FLOAT16),
    /**
     * Accepted as a setting, refused at load by {@link PrecisionSupport}: the PyTorch bridge of DJL 0.36
     * has no bfloat16 type (creating such a tensor aborts the JVM), on every device.
     */
    BFLOAT16("bfloat16", 2, DataType.BFLOAT16);

    private final String label;
    private final int bytes;
    private final DataType dataType;

    Precision(String label, int bytes, DataType dataType) {
        this.label = label;
        this.bytes = bytes;
        this.dataType = dataType;
    }

    /** The setting's spelling: {@code float32}, {@code float16}, {@code bfloat16}. */
    public String label() {
        return label;
    }

    /** Bytes per weight. */
    public int bytes() {
        return bytes;
    }

    /** DJL's type. Never hand {@link DataType#BFLOAT16} to DJL 0.36's PyTorch engine. */
    public DataType dataType() {
        return dataType;
    }

    /** Whether this is a 16-bit type. */
    public boolean isHalf() {
        return bytes == 2;
    }

    /** The allowed spellings, comma-separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", "));
    }

    /**
     * Parses a setting; {@code null} or blank is {@link #FLOAT32}. Also accepted: {@code fp32},
     * {@code fp16}, {@code half}, {@code bf16} (and any case).
     *
     * @throws IllegalArgumentException naming the value and the allowed values
     */
    public static Precision parse(String value) {
        if (value == null || value.isBlank()) {
            return FLOAT32;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32":
                return FLOAT32;
            case "float16", "fp16", "f16", "half":
                return FLOAT16;
            case "bfloat16", "bf16":
                return BFLOAT16;
            default:
                throw new IllegalArgumentException("unknown dtype '" + value.trim() + "'; use " + allowed());
        }
    }

    /** The precision of a DJL type held by a parameter store. */
    public static Precision of(DataType type) {
        for (Precision p : values()) {
            if (p.dataType == type) {
                return p;
            }
        }
        throw new IllegalArgumentException("no weight precision for " + type);
    }

    @Override
    public String toString() {
        return label;
    }
}
