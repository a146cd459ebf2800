package io.github.editunit.framework.training;

import ai.djl.ndarray.NDArray;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything training needs to continue exactly where it stopped: the weights, both Adam moments,
 * the number of completed steps and skipped steps, the loss history and a fingerprint of the
 * data and settings. One safetensors file ({@value #FILE}), written atomically, so a checkpoint
 * is either the previous complete one or the new complete one. Resuming replays the batch order
 * (it is seeded), so an interrupted and resumed run ends with the same weights, bit for bit, as
 * one that was never interrupted.
 */
public final class TrainingCheckpoint {

    /** File name inside the checkpoint directory. */
    public static final String FILE = "training-state.safetensors";

    static final String STEP = "editunit.checkpoint.step";
    static final String SKIPPED = "editunit.checkpoint.skipped";
    static final String TOKENS = "editunit.checkpoint.tokens";
    static final String LOSSES = "editunit.checkpoint.losses";
    static final String FINGERPRINT = "editunit.checkpoint.fingerprint";
    private static final String M = "adam.m.";
    private static final String V = "adam.v.";

    /**
     * A loaded checkpoint.
     *
     * @param step completed steps (training continues with this index)
     * @param skipped steps skipped because they were not finite
     * @param tokens tokens trained on so far
     * @param losses loss of every completed step
     * @param fingerprint data and settings the checkpoint belongs to
     * @param weights parameter values by name
     * @param moments Adam first and second moments by parameter name
     */
    public record State(int step, int skipped, long tokens, List<Double> losses, String fingerprint,
            Map<String, float[]> weights, Map<String, float[][]> moments) {}

    private TrainingCheckpoint() {}

    /** Where a checkpoint of {@code dir} lives. */
    public static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    static void write(Path dir, ParameterStore params, Map<String, NDArray[]> moments, int step, int skipped,
            long tokens, List<Double> losses, String fingerprint) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter();
        for (String n : params.names()) {
            NDArray p = params.get(n);
            w.add(n, p, DType.F32);
            w.add(M + n, moments.get(n)[0], DType.F32);
            w.add(V + n, moments.get(n)[1], DType.F32);
        }
        StringBuilder l = new StringBuilder();
        for (double x : losses) {
            l.append(l.length() == 0 ? "" : ",").append(Double.toHexString(x));
        }
        w.putMetadata(STEP, Integer.toString(step));
        w.putMetadata(SKIPPED, Integer.toString(skipped));
        w.putMetadata(TOKENS, Long.toString(tokens));
        w.putMetadata(LOSSES, l.toString());
        w.putMetadata(FINGERPRINT, fingerprint);
        w.write(file(dir));
    }

    /**
     * Reads the checkpoint in {@code dir}; every problem is an {@link IOException} naming the file.
     */
    public static State read(Path dir, ParameterStore like) throws IOException {
        Path f = file(dir);
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": no training checkpoint here (is --resume the directory a stopped run named?)");
        }
        try (SafetensorsFile st = SafetensorsFile.open(f)) {
            Map<String, String> meta = st.metadata();
            int step = intMeta(f, meta, STEP);
            int skipped = intMeta(f, meta, SKIPPED);
            long tokens;
            try {
                tokens = Long.parseLong(require(f, meta, TOKENS));
            } catch (NumberFormatException e) {
                throw new IOException(f + ": metadata " + TOKENS + " is not a number", e);
            }
            List<Double> losses = new ArrayList<>();
            String ls = require(f, meta, LOSSES);
            if (!ls.isEmpty()) {
                for (String x : ls.split(",")) {
                    try {
                        losses.add(Double.parseDouble(x));
                    } catch (NumberFormatException e) {
                        throw new IOException(f + ": metadata " + LOSSES + " holds a non-number \"" + x + "\"", e);
                    }
                }
            }
            if (losses.size() != step) {
                throw new IOException(f + ": " + losses.size() + " losses recorded for " + step + " steps");
            }
            Map<String, float[]> weights = new LinkedHashMap<>();
            Map<String, float[][]> moments = new LinkedHashMap<>();
            for (String n : like.names()) {
                long size = like.shape(n).size();
                float[] p = tensor(st, f, n, size);
                weights.put(n, p);
                moments.put(n, new float[][] {tensor(st, f, M + n, size), tensor(st, f, V + n, size)});
            }
            return new State(step, skipped, tokens, losses, require(f, meta, FINGERPRINT), weights, moments);
        }
    }

    private static float[] tensor(SafetensorsFile st, Path f, String name, long size) throws IOException {
        if (!st.tensorNames().contains(name)) {
            throw new IOException(f + ": tensor \"" + name + "\" is missing");
        }
        float[] v = st.readFloats(name);
        if (v.length != size) {
            throw new IOException(f + ": tensor \"" + name + "\" has " + v.length + " values, the model needs " + size);
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IOException(f + ": tensor \"" + name + "\" holds a non-finite value");
            }
        }
        return v;
    }

    private static String require(Path f, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        if (v == null) {
            throw new IOException(f + ": metadata " + key + " is missing; not a complete training checkpoint");
        }
        return v;
    }

    private static int intMeta(Path f, Map<String, String> meta, String key) throws IOException {
        try {
            int v = Integer.parseInt(require(f, meta, key));
            if (v < 0) {
                throw new IOException(f + ": metadata " + key + " is negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(f + ": metadata " + key + " is not a number", e);
        }
    }

    /** SHA-256 over the training settings, the model shape and every training sequence. */
    public static String fingerprint(TrainingConfig config, String modelDescription, List<int[]> sequences) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(config.toString().getBytes(StandardCharsets.UTF_8));
        sha.update(modelDescription.getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[4];
        for (int[] s : sequences) {
            sha.update(String.format(Locale.ROOT, "|%d:", s.length).getBytes(StandardCharsets.UTF_8));
            for (int id : s) {
                buf[0] = (byte) id;
                buf[1] = (byte) (id >>> 8);
                buf[2] = (byte) (id >>> 16);
                buf[3] = (byte) (id >>> 24);
                sha.update(buf);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
