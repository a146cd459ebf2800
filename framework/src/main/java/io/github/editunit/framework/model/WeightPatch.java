package io.github.editunit.framework.model;

import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An edit saved as a small safetensors file: only the changed tensors (their edited values, in
 * the weights' type, F32 or F16, so the edited model is reproduced bit-exactly) plus metadata naming the method, the
 * cases and the weights hash of the model the patch applies to. Patches stack: each names the
 * hash of the model it was made on, and applying one checks it.
 */
public final class WeightPatch {

    public static final String BASE_HASH = "editunit.patch.base_hash";
    public static final String RESULT_HASH = "editunit.patch.result_hash";
    public static final String METHOD = "editunit.patch.method";
    public static final String CASES = "editunit.patch.cases";
    /** SHA-256 (hex) of the patch's tensors: name, shape and float32 bits of each, in file order. */
    public static final String SHA256 = "editunit.patch.sha256";

    private WeightPatch() {}

    /**
     * Writes a patch.
     *
     * @param edited changed tensors with their edited values (canonical names)
     * @param model the edited model (for shapes and the result hash)
     * @param baseHash weights hash before the edit
     */
    public static void write(Path file, Map<String, float[]> edited, LanguageModel model, String baseHash,
            String method, List<String> caseIds) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.putMetadata("format", "pt");
        w.putMetadata(BASE_HASH, baseHash);
        w.putMetadata(RESULT_HASH, model.parameters().contentHash());
        w.putMetadata(METHOD, method);
        w.putMetadata(CASES, String.join(",", caseIds));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        // the weights' own type: float16 values are float32 values, so either is exact
        DType type = model.precision() == Precision.FLOAT16 ? DType.F16 : DType.F32;
        for (Map.Entry<String, float[]> e : edited.entrySet()) {
            long[] shape = model.parameters().shape(e.getKey()).getShape();
            shapes.put(e.getKey(), shape);
            w.add(e.getKey(), e.getValue(), shape, type);
        }
        w.putMetadata(SHA256, checksum(edited, shapes));
        w.write(file);
    }

    /**
     * Applies a patch in place after checking that it is intact (safetensors structure and the
     * recorded SHA-256 of its tensors) and that the model is the one it was made on; the result
     * hash is verified too. A truncated, emptied or corrupt patch is refused before the model is
     * touched, with an error naming the file. Returns the patch's metadata.
     */
    public static Map<String, String> apply(LanguageModel model, Path file) throws IOException {
        SafetensorsFile opened;
        try {
            opened = SafetensorsFile.open(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": weight patch not found", e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(file, e);
        }
        try (SafetensorsFile f = opened) {
            Map<String, String> meta = new LinkedHashMap<>(f.metadata());
            String base = meta.get(BASE_HASH);
            if (base == null) {
                throw new IOException(file + ": not an EditUnit patch (metadata \"" + BASE_HASH + "\" is missing)");
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            try {
                for (String name : f.tensorNames()) {
                    values.put(name, f.readFloats(name));
                    shapes.put(name, f.info(name).shape());
                }
            } catch (IOException | RuntimeException e) {
                throw corrupt(file, e);
            }
            String sum = meta.get(SHA256);
            if (sum != null && !sum.equals(checksum(values, shapes))) {
                throw new IOException(file + ": corrupt weight patch, refused: the SHA-256 of its tensors differs "
                        + "from the one recorded when it was written; model left unchanged");
            }
            String now = model.parameters().contentHash();
            // a patch written before the running weights hash (2026-12-03) records hashes of the older form
            boolean legacy = !base.equals(now) && base.equals(model.parameters().legacyContentHash());
            if (!base.equals(now) && !legacy) {
                // the metadata may hold any string; only a full-length hash is shortened
                throw new IOException(file + ": patch was made for weights "
                        + (base.length() > 16 ? base.substring(0, 16) + "…" : "\"" + base + "\"")
                        + " but the model has " + now.substring(0, 16) + "…; apply patches to the right base, in order");
            }
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                String name = e.getKey();
                if (!model.parameters().contains(name)) {
                    throw new IOException(file + ": tensor \"" + name + "\" is not a parameter of the model");
                }
                long[] want = model.parameters().shape(name).getShape();
                if (!java.util.Arrays.equals(want, shapes.get(name))) {
                    throw new IOException(file + ": tensor \"" + name + "\" has shape "
                            + java.util.Arrays.toString(shapes.get(name)) + ", the model's is "
                            + java.util.Arrays.toString(want));
                }
                for (float x : e.getValue()) {
                    if (!Float.isFinite(x)) {
                        throw new IOException(file + ": tensor \"" + name + "\" contains NaN or infinite values");
                    }
                }
            }
            WeightSnapshot undo = model.parameters().snapshot(values.keySet());
            values.forEach(model.parameters()::set);
            String result = meta.get(RESULT_HASH);
            if (result != null && !result.equals(legacy ? model.parameters().legacyContentHash()
                    : model.parameters().contentHash())) {
                model.parameters().restore(undo);
                throw new IOException(file + ": applying the patch did not give the recorded weights hash; "
                        + "model left unchanged");
            }
            return meta;
        }
    }

    /** "FILE: corrupt weight patch, refused: PROBLEM" (the reader's message without its own file prefix). */
    private static IOException corrupt(Path file, Exception e) {
        String why = String.valueOf(e.getMessage());
        if (why.startsWith(file + ": ")) {
            why = why.substring(file.toString().length() + 2);
        }
        return new IOException(file + ": corrupt weight patch, refused: " + why, e);
    }

    /** SHA-256 (hex) over each tensor's name, shape and float32 bits, in map order. */
    static String checksum(Map<String, float[]> tensors, Map<String, long[]> shapes) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long[] shape = shapes.get(e.getKey());
            sha.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(name.length).putInt(shape.length)
                    .array());
            sha.update(name);
            ByteBuffer dims = ByteBuffer.allocate(8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long d : shape) {
                dims.putLong(d);
            }
            sha.update(dims.array());
            for (float v : e.getValue()) {
                if (buf.remaining() < 4) {
                    sha.update(buf.flip());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            sha.update(buf.flip());
            buf.clear();
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
