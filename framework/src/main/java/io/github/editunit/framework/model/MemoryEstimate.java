package io.github.editunit.framework.model;

import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * What loading and editing a model will take, computed from {@code config.json} alone (the
 * architecture's parameter shapes), so it is known before any tensor is read.
 *
 * <ul>
 *   <li><b>weights</b>: every parameter × the bytes of the load precision;</li>
 *   <li><b>update</b>: one MLP down-projection matrix × 16 B: ΔW in float64 (MEMIT's solve) and in
 *       float32 (the update written into the weights), and the float32 snapshot that restores them;</li>
 *   <li><b>covariance</b>: the key second moment of one layer, {@code d_k² × 8 B × 3}: the float64
 *       accumulator of the statistics pass, its Java copy and its Cholesky factor;</li>
 *   <li><b>activations</b>: a forward and backward pass over {@value #ACTIVATION_TOKENS} tokens (about
 *       what a value search over a dozen context templates holds): per layer and token
 *       {@code 8·width + 4·inner} values in the load precision (what autograd keeps), plus the
 *       float32 logits, log-probabilities and their gradient, {@code 3 × vocab × 4 B} per token.</li>
 * </ul>
 *
 * <p>It is an estimate for one edited layer: a MEMIT statistics pass over several missing layers
 * holds one covariance accumulator per layer. Sizes are in bytes; {@link #gb(long)} prints decimal
 * gigabytes (10⁹ bytes).
 *
 * @param parameters number of weights
 * @param weightBytes the weights in {@code precision}
 * @param updateBytes the update of one matrix and its snapshot
 * @param covarianceBytes the key statistics of one layer
 * @param activationBytes one forward and backward pass
 */
public record MemoryEstimate(Precision precision, long parameters, long weightBytes, long updateBytes,
        long covarianceBytes, long activationBytes) {

    /** Tokens of the forward/backward pass the activation term assumes. */
    public static final int ACTIVATION_TOKENS = 512;

    /** Everything but the weights. */
    public long workingSetBytes() {
        return updateBytes + covarianceBytes + activationBytes;
    }

    /**
     * The part of the working set that lives in the Java heap (bounded by {@code -Xmx}): the update and
     * snapshot of one matrix, and the Java copy and Cholesky factor of one covariance.
     */
    public long heapBytes() {
        return updateBytes + covarianceBytes / 3 * 2;
    }

    /** Weights and working set. */
    public long totalBytes() {
        return weightBytes + workingSetBytes();
    }

    /** The estimate of {@code arch}'s model held in {@code precision}. */
    public static MemoryEstimate of(Architecture arch, Precision precision) {
        long params = 0;
        for (Shape s : arch.parameterShapes().values()) {
            params += s.size();
        }
        ModelConfig c = arch.config();
        Projection down = arch.mlpDownProjection(0);
        long matrix = (long) down.inDim() * down.outDim();
        long dk = down.inDim();
        long perToken = (long) c.layers() * (8L * c.width() + 4L * c.innerWidth()) * precision.bytes()
                + 3L * c.vocabSize() * 4;
        return new MemoryEstimate(precision, params, params * precision.bytes(), matrix * 16, dk * dk * 8 * 3,
                perToken * ACTIVATION_TOKENS);
    }

    /** One line: weights, working set and total, in GB. */
    public String describe() {
        return String.format(Locale.ROOT,
                "≈ %s for weights (%,d parameters × %d B, %s) + ≈ %s working set (update %s, covariance %s, "
                        + "activations %s) = ≈ %s",
                gb(weightBytes), parameters, precision.bytes(), precision.label(), gb(workingSetBytes()),
                gb(updateBytes), gb(covarianceBytes), gb(activationBytes), gb(totalBytes()));
    }

    /** Decimal gigabytes with one decimal ({@code 27.0 GB}), or megabytes below 1 GB ({@code 63 MB}). */
    public static String gb(long bytes) {
        if (bytes < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%d MB", Math.round(bytes / 1e6));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
