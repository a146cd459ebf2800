package io.github.editunit.framework.safetensors;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types of the safetensors format, named as in the header ({@code "F32"}, {@code "BF16"},
 * ...). Every type listed here is accepted by header validation; {@link #isReadableAsFloat()} tells
 * which ones {@link TensorSource#readFloats(String)} converts, {@link #isWritable()} which ones
 * {@link SafetensorsWriter} produces.
 */
public enum DType {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E4M3(1),
    F8_E5M2(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether the reader converts this type to float32 (all but the F8 and unsigned 16/32/64). */
    public boolean isReadableAsFloat() {
        switch (this) {
            case F32: case F16: case BF16: case F64: case I64: case I32: case I16: case I8:
            case U8: case BOOL:
                return true;
            default:
                return false;
        }
    }

    /** Whether {@link SafetensorsWriter} can write this type (F32, F16, BF16). */
    public boolean isWritable() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Looks up a header dtype string, exactly as spelled in the format (case-sensitive). */
    public static Optional<DType> fromHeader(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }
}
