package io.github.editunit.framework.stats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a published {@code .npz} second-moment file (ROME's {@code util/runningstats.py}
 * layout, algorithms.md §6.1: {@code mom2.mom2} the raw sum Σ k kᵀ, {@code mom2.count} the number
 * of token positions) into {@link SecondMomentStatistics} {@code C = mom2.mom2 / mom2.count} for one
 * model and layer, after checking it: {@code mom2.mom2} present, square, {@code d_k × d_k} for the
 * layer's MLP key width, every value finite; {@code mom2.count} a positive finite scalar; no
 * pickled member anywhere in the file ({@link NpyReader}).
 */
public final class PublishedStatistics {

    /** Member holding the raw sum Σ k kᵀ. */
    public static final String MOM2 = "mom2.mom2";
    /** Member holding the number of token positions. */
    public static final String COUNT = "mom2.count";

    private static final Pattern SAMPLES_IN_NAME = Pattern.compile(".*_mom2_(\\d{1,9})\\.npz");

    private PublishedStatistics() {}

    /**
     * @param npz the {@code .npz} file
     * @param modelHash the weights hash of the model it is imported for
     * @param layer 0-based layer
     * @param dk the layer's MLP key width ({@code ModelConfig.innerWidth()})
     * @throws NpzFormatException naming the file, member, layer and shape
     */
    public static SecondMomentStatistics load(Path npz, String modelHash, int layer, int dk) throws IOException {
        String sha = sha256(npz);
        Map<String, NpyArray> members = NpzReader.read(npz);
        NpyArray mom2 = members.get(MOM2);
        NpyArray count = members.get(COUNT);
        if (mom2 == null || count == null) {
            throw NpzFormatException.of(npz, null, "no '" + (mom2 == null ? MOM2 : COUNT) + "' member (members: "
                    + members.keySet() + "; expected ROME's layout, " + MOM2 + " and " + COUNT + ")");
        }
        if (!mom2.numeric() || mom2.typeName().startsWith("bool")) {
            throw NpzFormatException.of(npz, MOM2, "dtype '" + mom2.dtype() + "' is not a number type");
        }
        long[] s = mom2.shape();
        if (s.length != 2 || s[0] != s[1] || s[0] != dk) {
            throw NpzFormatException.of(npz, MOM2, "shape " + mom2.shapeText() + " does not fit layer " + layer
                    + ", whose MLP key width d_k is " + dk + " (expected (" + dk + ", " + dk + "))");
        }
        if (!count.numeric() || count.elementCount() != 1) {
            throw NpzFormatException.of(npz, COUNT, "expected one number, got dtype '" + count.dtype() + "' shape "
                    + count.shapeText());
        }
        double n = count.values()[0];
        if (!Double.isFinite(n) || n <= 0 || n != Math.rint(n) || n > Long.MAX_VALUE) {
            throw NpzFormatException.of(npz, COUNT, "count " + n + " is not a positive whole number");
        }
        double[] m = mom2.values();
        double[] c = new double[dk * dk];
        for (int i = 0; i < dk; i++) {
            for (int j = i; j < dk; j++) {
                double a = m[i * dk + j];
                double b = m[j * dk + i];
                if (!Double.isFinite(a) || !Double.isFinite(b)) {
                    int[] at = Double.isFinite(a) ? new int[] {j, i} : new int[] {i, j};
                    throw NpzFormatException.of(npz, MOM2, "non-finite value " + (Double.isFinite(a) ? b : a)
                            + " at [" + at[0] + ", " + at[1] + "]");
                }
                double v = (a + b) / 2 / n; // ROME accumulates a symmetric sum; average float32 rounding of the halves
                c[i * dk + j] = v;
                c[j * dk + i] = v;
            }
        }
        String name = npz.getFileName().toString();
        Matcher sm = SAMPLES_IN_NAME.matcher(name);
        int texts = sm.matches() ? Integer.parseInt(sm.group(1)) : 0;
        long tokens = (long) n;
        StatsProvenance p = StatsProvenance.published(name, sha, tokens, mom2.typeName(), texts);
        StatsMetadata meta = new StatsMetadata(modelHash, name, sha, layer, texts, tokens, dk, StatsMetadata.FLOAT64, p);
        return new SecondMomentStatistics(meta, c);
    }

    /** SHA-256 (hex) of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
