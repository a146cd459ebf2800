package io.github.editunit.framework.stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes real {@code .npy} arrays and {@code .npz} zips the way numpy does ({@code np.save} header:
 * magic, version, little-endian length, dict literal padded with spaces to a 64-byte boundary and a
 * newline), so tests need no numpy. ROME's {@code np.savez(file, **CombinedStat(mom2=SecondMoment()).state_dict())}
 * layout is {@link #romeLayout}.
 */
final class NpzTestFiles {

    private NpzTestFiles() {}

    /** An {@code .npy} file (version 1.0) of numbers encoded per {@code descr}. */
    static byte[] npy(String descr, long[] shape, boolean fortran, double[] values) {
        return npy(1, header(descr, shape, fortran), encode(descr, values));
    }

    /** An {@code .npy} with a verbatim header dict and data, in format {@code major}.0. */
    static byte[] npy(int major, String dict, byte[] data) {
        int lenBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lenBytes + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        byte[] hb = h.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyReader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) hb.length);
        } else {
            b.putInt(hb.length);
        }
        return b.put(hb).put(data).array();
    }

    static String header(String descr, long[] shape, boolean fortran) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]).append(shape.length == 1 ? "," : i < shape.length - 1 ? ", " : "");
        }
        s.append(")");
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + s + ", }";
    }

    static byte[] encode(String descr, double[] v) {
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String t = descr.substring(1);
        int size = Integer.parseInt(t.substring(1));
        ByteBuffer b = ByteBuffer.allocate(v.length * size).order(order);
        for (double x : v) {
            switch (t) {
                case "f4" -> b.putFloat((float) x);
                case "f8" -> b.putDouble(x);
                case "i8", "u8" -> b.putLong((long) x);
                case "i4", "u4" -> b.putInt((int) (long) x);
                default -> throw new IllegalArgumentException(descr);
            }
        }
        return b.array();
    }

    /** A numpy unicode string scalar ({@code <U N}), as {@code np.savez} stores ROME's constructor names. */
    static byte[] unicodeScalar(String text) {
        ByteBuffer b = ByteBuffer.allocate(4 * text.length()).order(ByteOrder.LITTLE_ENDIAN);
        text.codePoints().forEach(b::putInt);
        return npy(1, header("<U" + text.length(), new long[0], false), b.array());
    }

    /** ROME's members: {@code constructor}, {@code mom2.constructor}, {@code mom2.count}, {@code mom2.mom2}. */
    static Map<String, byte[]> romeLayout(double[] rawSum, int dk, long count, String descr) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("constructor", unicodeScalar("util.runningstats.CombinedStat"));
        m.put("mom2.constructor", unicodeScalar("util.runningstats.SecondMoment"));
        m.put("mom2.count", npy("<i8", new long[0], false, new double[] {count}));
        m.put("mom2.mom2", npy(descr, new long[] {dk, dk}, false, rawSum));
        return m;
    }

    /** A zip of {@code NAME.npy} members; {@code deflated}: compressed as {@code np.savez_compressed}, else stored as {@code np.savez}. */
    static byte[] npz(Map<String, byte[]> members, boolean deflated) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                if (deflated) {
                    z.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static Path write(Path file, Map<String, byte[]> members, boolean deflated) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, npz(members, deflated));
    }
}
