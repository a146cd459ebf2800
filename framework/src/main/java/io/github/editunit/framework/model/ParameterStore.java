package io.github.editunit.framework.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.safetensors.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The named parameters of a model, in one {@link Precision} (float32 unless loaded otherwise),
 * owned by one {@link NDManager}. Updates happen in place: no copy of the model is ever made, and
 * forward passes see changes immediately.
 *
 * <p>Half-precision weights: updates ({@link #add}, {@link #addRankOne}, {@link #addMatrix}) arrive
 * in float32 and are added in place, so each weight becomes {@code round(w + Δw)} computed in
 * float32 and rounded once to the weights' type; snapshots hold the values as float32 (exact for
 * float16) and {@link #restore} writes back the very same half-precision bits.
 */
public final class ParameterStore implements AutoCloseable {

    private final NDManager manager;
    private final Precision precision;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    /** Per-tensor digests of {@link #contentHash}, dropped when a tensor changes; guarded by itself. */
    private final Map<String, byte[]> digests = new HashMap<>();

    /** System property: {@code true} makes {@link #contentHash} check every kept digest (tests). */
    public static final String VERIFY_HASH_PROPERTY = "editunit.weights.verifyHash";

    /** A float32 store. */
    public ParameterStore(NDManager manager) {
        this(manager, Precision.FLOAT32);
    }

    /**
     * A store that keeps every parameter in {@code precision}.
     *
     * @throws UnsupportedPrecisionException for a precision the runtime cannot hold (bfloat16)
     */
    public ParameterStore(NDManager manager, Precision precision) {
        PrecisionSupport.staticProblem(precision).ifPresent(p -> {
            throw new UnsupportedPrecisionException(p);
        });
        this.manager = manager;
        this.precision = precision;
    }

    /** The type every parameter is kept in (and forward passes compute in). */
    public Precision precision() {
        return precision;
    }

    /** The manager owning the parameters (and defining their device). */
    public NDManager manager() {
        return manager;
    }

    /**
     * Adds or replaces a parameter, converted to the store's precision (rounding to nearest even);
     * the array is attached to this store's manager.
     */
    public void put(String name, NDArray value) {
        if (value.getDataType() != precision.dataType()) {
            NDArray converted = value.toType(precision.dataType(), true);
            value.close();
            value = converted;
        }
        value.attach(manager);
        value.setName(name);
        forget(name);
        NDArray old = parameters.put(name, value);
        if (old != null && old != value) {
            old.close();
        }
    }

    /**
     * Puts {@code value} under an existing name as it is (no conversion, not attached, nothing
     * closed) and returns the tensor it replaces; the caller puts that one back. For mixed-precision
     * training: a forward reads a cast of a float32 master copy in the weight's place.
     */
    public NDArray substitute(String name, NDArray value) {
        NDArray old = get(name);
        if (!old.getShape().equals(value.getShape()) || old.getDataType() != value.getDataType()) {
            throw new IllegalArgumentException("substitute for \"" + name + "\" must be " + old.getDataType() + " "
                    + old.getShape() + ", got " + value.getDataType() + " " + value.getShape());
        }
        parameters.put(name, value);
        forget(name);
        return old;
    }

    /**
     * Returns the parameter or throws naming it. Whoever changes the returned tensor in place (rather than through
     * this store's update methods) reports it with {@link #markChanged}, or the weights hash keeps its old digest.
     */
    public NDArray get(String name) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new NoSuchElementException("no parameter named \"" + name + "\"");
        }
        return a;
    }

    public boolean contains(String name) {
        return parameters.containsKey(name);
    }

    /** Names in insertion order. */
    public List<String> names() {
        return List.copyOf(parameters.keySet());
    }

    public Shape shape(String name) {
        return get(name).getShape();
    }

    /** Bytes the parameters take in native memory. */
    public long byteSize() {
        long n = 0;
        for (NDArray a : parameters.values()) {
            n += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return n;
    }

    /** A parameter's values as float32 (exact for float16 weights), row-major, as a Java copy. */
    public float[] floats(String name) {
        return floats(get(name));
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (NDArray a : parameters.values()) {
            n += a.getShape().size();
        }
        return n;
    }

    /**
     * A bit-exact copy of the named tensors, kept in Java memory as float32 (every float16 value is
     * a float32 value, so nothing is lost).
     */
    public WeightSnapshot snapshot(Iterable<String> names) {
        Map<String, float[]> copies = new LinkedHashMap<>();
        for (String n : names) {
            copies.put(n, floats(n));
        }
        return new WeightSnapshot(copies);
    }

    /** Writes a snapshot back, bit-exact, in place. */
    public void restore(WeightSnapshot snapshot) {
        for (Map.Entry<String, float[]> e : snapshot.values().entrySet()) {
            set(e.getKey(), e.getValue());
        }
    }

    /**
     * Overwrites a parameter's values in place. For half-precision weights each value is rounded to
     * nearest even (exact for values read from such weights, so a snapshot restores bit for bit).
     */
    public void set(String name, float[] values) {
        NDArray target = get(name);
        if (values.length != target.getShape().size()) {
            throw new IllegalArgumentException("parameter \"" + name + "\" has " + target.getShape().size()
                    + " values, got " + values.length);
        }
        if (target.getDataType() != DataType.FLOAT32 && target.getDataType() != DataType.FLOAT16) {
            throw new IllegalStateException("parameter \"" + name + "\" has type " + target.getDataType());
        }
        ByteBuffer half = null;
        if (target.getDataType() == DataType.FLOAT16) {
            half = manager.allocateDirect(2 * values.length).order(ByteOrder.nativeOrder());
            for (float v : values) {
                half.putShort(HalfFloats.floatToHalf(v));
            }
            half.flip();
        }
        // an in-place copy (index_put_ on the full slice) of a tensor made from the values; NDArray.set(Buffer)
        // goes through DJL's native torchSet, whose deprecated AutoNonVariableTypeMode guard makes libtorch print
        // a deprecation warning on the first restore of every process
        try (NDManager m = manager.newSubManager()) {
            NDArray source = half != null ? m.create(half, target.getShape(), DataType.FLOAT16)
                    : m.create(values, target.getShape());
            target.set(new NDIndex(":"), source);
        }
        forget(name);
    }

    /** Adds {@code delta} (same shape as the stored tensor) in place. */
    public void add(String name, NDArray delta) {
        NDArray target = get(name);
        if (!target.getShape().equals(delta.getShape())) {
            throw new IllegalArgumentException("update of \"" + name + "\" has shape " + delta.getShape()
                    + " but the parameter has " + target.getShape());
        }
        target.addi(delta.toType(DataType.FLOAT32, false));
        forget(name);
    }

    /**
     * Adds the rank-one update {@code ΔW = a bᵀ} to a projection, in the projection's own
     * orientation: {@code a} has the projection's output dimension and {@code b} its input
     * dimension; for {@link MatrixLayout#IN_OUT} storage the outer product is transposed.
     */
    public void addRankOne(Projection p, float[] out, float[] in) {
        if (out.length != p.outDim() || in.length != p.inDim()) {
            throw new IllegalArgumentException("rank-one update of \"" + p.weightName() + "\" needs vectors of size "
                    + p.outDim() + " and " + p.inDim() + ", got " + out.length + " and " + in.length);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(out);
            NDArray b = m.create(in);
            NDArray outer = p.layout() == MatrixLayout.IN_OUT
                    ? b.reshape(in.length, 1).matMul(a.reshape(1, out.length))
                    : a.reshape(out.length, 1).matMul(b.reshape(1, in.length));
            get(p.weightName()).addi(outer);
        }
        forget(p.weightName());
    }

    /**
     * Adds a full update given in the projection's mathematical orientation {@code [out, in]}
     * (row-major), transposing for {@link MatrixLayout#IN_OUT} storage.
     */
    public void addMatrix(Projection p, float[] outByIn) {
        if (outByIn.length != (long) p.outDim() * p.inDim()) {
            throw new IllegalArgumentException("update of \"" + p.weightName() + "\" needs " + p.outDim() + "×"
                    + p.inDim() + " values, got " + outByIn.length);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray d = m.create(outByIn, new Shape(p.outDim(), p.inDim()));
            get(p.weightName()).addi(p.layout() == MatrixLayout.IN_OUT ? d.transpose() : d);
        }
        forget(p.weightName());
    }

    /** The projection's weight in mathematical orientation {@code [out, in]}, as a float32 Java copy. */
    public float[] matrix(Projection p) {
        NDArray w = get(p.weightName());
        if (p.layout() == MatrixLayout.OUT_IN) {
            return floats(w);
        }
        try (NDArray t = w.transpose()) {
            return floats(t);
        }
    }

    /**
     * The weights' content hash: SHA-256 over the per-tensor digests in name order, each digest being the
     * SHA-256 of the tensor's name, shape and raw little-endian bits in the store's precision (float32 or
     * float16). Two stores have the same hash iff they are bit-identical; a model loaded in float16 has another
     * hash than the same file in float32.
     *
     * <p>Running: a tensor's digest is kept until the tensor changes through this store ({@link #put},
     * {@link #substitute}, {@link #set}, {@link #add}, {@link #addRankOne}, {@link #addMatrix}) or is reported
     * changed by {@link #markChanged}, so after an edit only the edited matrices are hashed again (GPT-2 XL: one
     * MLP projection, 41 MB, instead of 6.2 GB). With the system property {@value #VERIFY_HASH_PROPERTY} set to
     * {@code true} (the project's own test runs) every call rehashes every tensor and fails with
     * {@link StaleDigestException} when a kept digest no longer matches: an in-place change that bypassed the
     * store and was not reported.
     */
    public String contentHash() {
        boolean verify = Boolean.getBoolean(VERIFY_HASH_PROPERTY);
        MessageDigest all = sha256();
        synchronized (digests) {
            for (String name : new TreeMap<>(parameters).keySet()) {
                byte[] kept = digests.get(name);
                byte[] d = kept;
                if (kept == null || verify) {
                    d = tensorDigest(name, parameters.get(name));
                    if (kept != null && !MessageDigest.isEqual(kept, d)) {
                        throw new StaleDigestException(name);
                    }
                    digests.put(name, d);
                }
                all.update(d);
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /**
     * The weights hash of EditUnit before 2026-12-03: one SHA-256 over every tensor's name, shape and bits in name
     * order. Rehashes every tensor (no running digests); only for reading weight patches written by those versions,
     * whose recorded base and result hashes have this form.
     */
    public String legacyContentHash() {
        MessageDigest sha = sha256();
        for (Map.Entry<String, NDArray> e : new TreeMap<>(parameters).entrySet()) {
            feed(sha, e.getKey(), e.getValue());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Reports that a tensor got from {@link #get} was changed in place outside this store (an optimizer step), so
     * {@link #contentHash} hashes it again. Changes through this store's own methods need no report.
     */
    public void markChanged(String name) {
        get(name);
        forget(name);
    }

    private void forget(String name) {
        synchronized (digests) {
            digests.remove(name);
        }
    }

    private static byte[] tensorDigest(String name, NDArray value) {
        MessageDigest sha = sha256();
        feed(sha, name, value);
        return sha.digest();
    }

    /** A tensor's name, shape and raw little-endian bits. */
    private static void feed(MessageDigest sha, String name, NDArray value) {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update(value.getShape().toString().getBytes(StandardCharsets.UTF_8));
        // a view of the tensor's own memory where DJL can give one (CPU, contiguous): a copy per tensor would be a
        // Java direct buffer, resident until a garbage collection, so hashing would hold a second copy of the weights
        sha.update(value.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kept tensor digest that no longer matches the tensor: it was changed in place without {@link #markChanged}. */
    public static final class StaleDigestException extends IllegalStateException {
        StaleDigestException(String name) {
            super("parameter \"" + name + "\" changed in place without ParameterStore.markChanged: its kept digest is"
                    + " stale, so the weights hash would not see the change");
        }
    }

    /** Whether any parameter holds a NaN or an infinity; returns the first such name or null. */
    public String firstNonFinite() {
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray a = e.getValue();
                if (a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        parameters.clear();
        synchronized (digests) {
            digests.clear();
        }
        manager.close();
    }
}
