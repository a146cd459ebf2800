package io.github.editunit.framework.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Converts little-endian safetensors elements to float32. */
final class FloatDecoder {
    private FloatDecoder() {
    }

    /**
     * Decodes all remaining bytes of {@code src} (whole elements of {@code dtype}) into {@code dst}.
     * Wider integer and F64 values are rounded to the nearest float32.
     */
    static void decode(ByteBuffer src, DType dtype, FloatBuffer dst) {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> dst.put(in.asFloatBuffer());
            case F16 -> {
                while (in.hasRemaining()) {
                    dst.put(HalfFloats.halfToFloat(in.getShort()));
                }
            }
            case BF16 -> {
                while (in.hasRemaining()) {
                    dst.put(HalfFloats.bf16ToFloat(in.getShort()));
                }
            }
            case F64 -> {
                while (in.hasRemaining()) {
                    dst.put((float) in.getDouble());
                }
            }
            case I64 -> {
                while (in.hasRemaining()) {
                    dst.put((float) in.getLong());
                }
            }
            case I32 -> {
                while (in.hasRemaining()) {
                    dst.put((float) in.getInt());
                }
            }
            case I16 -> {
                while (in.hasRemaining()) {
                    dst.put(in.getShort());
                }
            }
            case I8 -> {
                while (in.hasRemaining()) {
                    dst.put(in.get());
                }
            }
            case U8 -> {
                while (in.hasRemaining()) {
                    dst.put(in.get() & 0xff);
                }
            }
            case BOOL -> {
                while (in.hasRemaining()) {
                    dst.put(in.get() != 0 ? 1f : 0f);
                }
            }
            default -> throw new UnsupportedOperationException("cannot read " + dtype + " as float32");
        }
    }
}
