package io.github.editunit.framework.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.runtime.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Whether the runtime can keep weights and compute in a {@link Precision} on a device, decided at
 * load before any tensor is read, so that an unsupported combination fails with one clear message
 * instead of deep in a forward pass (or, for bfloat16, by aborting the JVM).
 *
 * <p>Measured with DJL 0.36.0 and libtorch 2.7.1 on this project's CPU (x86-64 with AVX-512, no
 * AVX512-FP16, AVX512-BF16 or AMX; see README, "Memory and precision"):
 * <ul>
 *   <li><b>float16</b>: every operation the forwards, the value search and the statistics use works
 *       on the CPU, including autograd; but libtorch has no fast float16 matrix product there
 *       (≈ 0.4–2 GFLOP/s against ≈ 50–140 for float32), so a float16 forward is tens of times slower
 *       than a float32 one. It saves memory, not time.</li>
 *   <li><b>bfloat16</b>: DJL 0.36's PyTorch bridge maps only the types float32, float64, float16,
 *       uint8, int8, int32, int64 and bool to libtorch; creating or converting to a bfloat16 (or int16)
 *       tensor makes its native code call {@code std::terminate}, which kills the JVM. That is a
 *       property of the bridge, not of the device, so bfloat16 is refused on every device, without
 *       touching the engine.</li>
 * </ul>
 * For float16 on another device the same operations are tried once per device (a few milliseconds);
 * the first that throws is named in the error.
 */
public final class PrecisionSupport {

    private static final Map<String, Optional<String>> PROBED = new ConcurrentHashMap<>();

    private PrecisionSupport() {}

    /**
     * What is wrong with {@code precision} on any device, known without starting the engine (used at
     * configuration time), or empty.
     */
    public static Optional<String> staticProblem(Precision precision) {
        if (precision == Precision.BFLOAT16) {
            return Optional.of("bfloat16 is not supported: DJL 0.36's PyTorch bridge has no bfloat16 type (creating a "
                    + "bfloat16 tensor aborts the JVM), on cpu and gpu alike; use dtype float16 (half the memory of "
                    + "float32; bfloat16 checkpoints convert to it exactly within its range) or float32");
        }
        return Optional.empty();
    }

    /**
     * Throws unless weights can be kept and computed in {@code precision} on {@code device}.
     *
     * @throws UnsupportedPrecisionException naming the precision, the device, the failing operation
     *         and the alternative
     */
    public static void require(Precision precision, Device device) {
        Optional<String> known = staticProblem(precision);
        if (known.isPresent()) {
            throw new UnsupportedPrecisionException(known.get().replaceFirst("^bfloat16 is not supported",
                    "bfloat16 is not supported on " + label(device)));
        }
        if (precision == Precision.FLOAT32) {
            return;
        }
        String key = precision + "@" + device;
        Optional<String> problem = PROBED.computeIfAbsent(key, k -> probe(precision, device, operations()));
        if (problem.isPresent()) {
            throw new UnsupportedPrecisionException(problem.get());
        }
    }

    /** {@code cpu}, {@code gpu:0}: a device as the settings spell it. */
    public static String label(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType();
    }

    /** Whether computing in {@code precision} on {@code device} is known to be much slower than float32. */
    public static boolean isSlow(Precision precision, Device device) {
        return precision == Precision.FLOAT16 && !device.isGpu();
    }

    /**
     * Runs each named operation in {@code type} on {@code device}; the first that throws gives the
     * message (package-private so tests can add a failing operation).
     */
    static Optional<String> probe(Precision precision, Device device, Map<String, BiFunction<NDManager, DataType, NDArray>> ops) {
        DjlRuntime.engine();
        for (Map.Entry<String, BiFunction<NDManager, DataType, NDArray>> op : ops.entrySet()) {
            try (NDManager m = NDManager.newBaseManager(device)) {
                NDArray r = op.getValue().apply(m, precision.dataType());
                r.toType(DataType.FLOAT32, false).toFloatArray();
            } catch (RuntimeException e) {
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
                return Optional.of(precision.label() + " " + op.getKey() + " is not supported by libtorch on " + label(device)
                        + " (" + why + "); use dtype float32 (--dtype float32, hardedit.dtype=float32)");
            }
        }
        return Optional.empty();
    }

    /** A small deterministic tensor of {@code type}. */
    private static NDArray t(NDManager m, DataType type, long... shape) {
        int n = Math.toIntExact(new Shape(shape).size());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(0.37 * i + shape.length);
        }
        return m.create(v, new Shape(shape)).toType(type, false);
    }

    /** The operations the forwards, hooks, value search and statistics use, each on small tensors. */
    static Map<String, BiFunction<NDManager, DataType, NDArray>> operations() {
        Map<String, BiFunction<NDManager, DataType, NDArray>> ops = new LinkedHashMap<>();
        ops.put("matmul", (m, d) -> t(m, d, 8, 16).matMul(t(m, d, 16, 4)));
        ops.put("batched matmul", (m, d) -> t(m, d, 2, 3, 8, 16).matMul(t(m, d, 2, 3, 16, 8)));
        ops.put("embedding lookup", (m, d) -> t(m, d, 50, 16).get(m.create(new long[] {1, 2, 3, 4}, new Shape(2, 2))));
        ops.put("layer norm", (m, d) -> Blocks.layerNorm(t(m, d, 2, 8, 16), t(m, d, 16), t(m, d, 16), 1e-5));
        ops.put("rms norm", (m, d) -> Blocks.rmsNorm(t(m, d, 2, 8, 16), t(m, d, 16), 1e-5));
        ops.put("softmax", (m, d) -> t(m, d, 2, 8, 16).softmax(-1));
        ops.put("gelu", (m, d) -> Blocks.geluNew(t(m, d, 2, 8, 16)));
        ops.put("silu", (m, d) -> Blocks.silu(t(m, d, 2, 8, 16)));
        ops.put("rotary embedding", (m, d) -> new Rotary(m, Rotary.inverseFrequencies(10000, 8), 8, 4,
                Rotary.Layout.ROTATE_HALF, d).apply(t(m, d, 1, 2, 4, 8)));
        ops.put("attention", (m, d) -> Blocks.attention(t(m, d, 1, 2, 4, 8), t(m, d, 1, 2, 4, 8), t(m, d, 1, 2, 4, 8),
                Blocks.causalBias(m.ones(new Shape(1, 4), DataType.INT64), 4, m), Scalars.of(m, 0.35, d)));
        ops.put("NaN check", (m, d) -> t(m, d, 4, 4).isNaN().logicalOr(t(m, d, 4, 4).isInfinite()).toType(d, false));
        ops.put("in-place float32 update", (m, d) -> {
            NDArray w = t(m, d, 4, 4);
            w.addi(m.ones(new Shape(4, 4), DataType.FLOAT32));
            return w;
        });
        ops.put("autograd (value search)", (m, d) -> {
            NDArray w1 = t(m, d, 16, 32);
            NDArray w2 = t(m, d, 32, 16);
            NDArray delta = m.zeros(new Shape(1, 16), DataType.FLOAT32);
            delta.setRequiresGradient(true);
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                NDArray x = Blocks.layerNorm(t(m, d, 2, 8, 16), t(m, d, 16), t(m, d, 16), 1e-5);
                NDArray key = Blocks.geluNew(x.matMul(w1));
                NDArray out = Blocks.cast(Blocks.cast(key.matMul(w2), DataType.FLOAT32).add(delta), d);
                NDArray logits = Blocks.cast(Blocks.silu(out).matMul(w2.transpose()), DataType.FLOAT32);
                gc.backward(logits.logSoftmax(-1).sum());
            }
            return delta.getGradient();
        });
        return ops;
    }
}
