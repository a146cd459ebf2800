package io.github.editunit.framework.stats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one numpy {@code .npy} array (format versions 1.0, 2.0 and 3.0) from a stream:
 *
 * <pre>
 * 6 bytes  magic "\x93NUMPY"
 * 2 bytes  major, minor version
 * 2 bytes (1.0) or 4 bytes (2.0, 3.0)  header length H, little-endian
 * H bytes  a Python dict literal {'descr': '&lt;f4', 'fortran_order': False, 'shape': (6400, 6400), }
 *          (latin-1; UTF-8 in 3.0), padded with spaces and a newline
 * data     the elements, C or Fortran order
 * </pre>
 *
 * Numeric dtypes {@code f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1} in either byte order are read as float64
 * (in C order; Fortran-order arrays are reordered); string dtypes ({@code U}, {@code S}) are
 * skipped; object arrays ({@code |O}, pickles) and everything else are refused with the member's
 * name. Memory grows with the bytes actually read, never with a declared size alone.
 */
public final class NpyReader {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d*)");

    private NpyReader() {}

    /**
     * @param in positioned at the start of the {@code .npy} bytes; read to its end
     * @param file the containing file (for messages)
     * @param member the array's name (for messages)
     */
    public static NpyArray read(InputStream in, Path file, String member) throws IOException {
        byte[] start = readExactly(in, 8, file, member, "the magic string and version");
        if (!Arrays.equals(Arrays.copyOf(start, 6), MAGIC)) {
            throw NpzFormatException.of(file, member, "not a .npy array (wrong magic bytes)");
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw NpzFormatException.of(file, member, "unsupported .npy format version " + major + "." + minor);
        }
        long headerLength;
        if (major == 1) {
            byte[] b = readExactly(in, 2, file, member, "the header length");
            headerLength = (b[0] & 0xff) | ((b[1] & 0xff) << 8);
        } else {
            byte[] b = readExactly(in, 4, file, member, "the header length");
            headerLength = Integer.toUnsignedLong(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt());
        }
        if (headerLength > MAX_HEADER) {
            throw NpzFormatException.of(file, member, "implausible .npy header length " + headerLength);
        }
        byte[] headerBytes = readExactly(in, (int) headerLength, file, member, "the header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(header, file, member).dict();
        for (String key : dict.keySet()) {
            if (!List.of("descr", "fortran_order", "shape").contains(key)) {
                throw NpzFormatException.of(file, member, "unexpected key '" + key + "' in the .npy header");
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw NpzFormatException.of(file, member, "the .npy header's 'descr' is "
                    + (dict.get("descr") instanceof List ? "a structured dtype (refused)" : "missing or not a string"));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw NpzFormatException.of(file, member, "the .npy header's 'fortran_order' is missing or not True/False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw NpzFormatException.of(file, member, "the .npy header's 'shape' is missing or not a tuple of integers");
        }
        Dtype type = Dtype.parse(descr, file, member);
        long count;
        long bytes;
        try {
            count = NpyArray.elementCount(shape);
            bytes = Math.multiplyExact(count, type.itemSize());
        } catch (ArithmeticException e) {
            throw NpzFormatException.of(file, member, "shape " + Arrays.toString(shape) + " overflows");
        }
        if (!type.numeric()) {
            skipExactly(in, bytes, file, member);
            expectEnd(in, file, member);
            return new NpyArray(member, descr, shape, fortran, null);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw NpzFormatException.of(file, member, "shape " + Arrays.toString(shape) + " has too many elements ("
                    + count + ") for one array");
        }
        double[] values = readValues(in, (int) count, type, file, member);
        expectEnd(in, file, member);
        if (fortran && shape.length > 1) {
            values = toCOrder(values, shape);
        }
        return new NpyArray(member, descr, shape, fortran, values);
    }

    /** numpy's name of a descriptor's type: {@code <f4} → {@code float32}. */
    static String typeName(String descr) {
        Matcher m = DESCR.matcher(descr);
        if (!m.matches()) {
            return descr;
        }
        String size = m.group(3);
        return switch (m.group(2)) {
            case "f" -> "float" + (size.isEmpty() ? "" : Integer.parseInt(size) * 8);
            case "i" -> "int" + (size.isEmpty() ? "" : Integer.parseInt(size) * 8);
            case "u" -> "uint" + (size.isEmpty() ? "" : Integer.parseInt(size) * 8);
            case "b" -> "bool";
            case "U" -> "str" + size;
            case "S" -> "bytes" + size;
            case "O" -> "object";
            default -> descr;
        };
    }

    private static double[] readValues(InputStream in, int count, Dtype type, Path file, String member)
            throws IOException {
        int size = type.itemSize();
        double[] out = new double[Math.min(count, CHUNK)];
        int filled = 0;
        byte[] chunk = new byte[Math.max(size, (CHUNK / size) * size)];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(type.order());
        while (filled < count) {
            int want = (int) Math.min((long) (count - filled) * size, chunk.length);
            int got = in.readNBytes(chunk, 0, want);
            if (got < want) {
                throw NpzFormatException.of(file, member, "data truncated: " + ((long) filled * size + got)
                        + " of " + ((long) count * size) + " bytes");
            }
            int n = want / size;
            if (filled + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(count, Math.max((long) out.length * 2, filled + n)));
            }
            buf.clear();
            for (int i = 0; i < n; i++) {
                out[filled + i] = type.get(buf, i * size);
            }
            filled += n;
        }
        return out;
    }

    /** Column-major values of {@code shape} → row-major. */
    static double[] toCOrder(double[] f, long[] shape) {
        int nd = shape.length;
        int[] dims = new int[nd];
        for (int i = 0; i < nd; i++) {
            dims[i] = (int) shape[i];
        }
        long[] cStride = new long[nd];
        long s = 1;
        for (int i = nd - 1; i >= 0; i--) {
            cStride[i] = s;
            s *= dims[i];
        }
        double[] c = new double[f.length];
        int[] idx = new int[nd];
        for (int k = 0; k < f.length; k++) {
            long ci = 0;
            for (int i = 0; i < nd; i++) {
                ci += idx[i] * cStride[i];
            }
            c[(int) ci] = f[k];
            for (int i = 0; i < nd; i++) { // first index fastest in Fortran order
                if (++idx[i] < dims[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return c;
    }

    private static byte[] readExactly(InputStream in, int n, Path file, String member, String what)
            throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw NpzFormatException.of(file, member, "truncated while reading " + what);
        }
        return b;
    }

    private static void skipExactly(InputStream in, long n, Path file, String member) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, CHUNK)];
        long left = n;
        while (left > 0) {
            int got = in.read(scratch, 0, (int) Math.min(left, scratch.length));
            if (got < 0) {
                throw NpzFormatException.of(file, member, "data truncated: " + (n - left) + " of " + n + " bytes");
            }
            left -= got;
        }
    }

    private static void expectEnd(InputStream in, Path file, String member) throws IOException {
        if (in.read() >= 0) {
            throw NpzFormatException.of(file, member, "trailing bytes after the data its header declares");
        }
    }

    /** A supported element type. */
    private record Dtype(char kind, int itemSize, ByteOrder order) {

        static Dtype parse(String descr, Path file, String member) throws NpzFormatException {
            Matcher m = DESCR.matcher(descr);
            if (!m.matches()) {
                throw NpzFormatException.of(file, member, "unsupported dtype '" + descr + "'");
            }
            char kind = m.group(2).charAt(0);
            if (kind == 'O') {
                throw new NpzFormatException(file, member, "pickled member " + member + " in " + file
                        + ": refused (object dtype '" + descr + "' is a Python pickle; only plain arrays are read)");
            }
            int size;
            try {
                size = m.group(3).isEmpty() ? -1 : Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                size = -1;
            }
            String orderChar = m.group(1);
            boolean valid = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                case 'U', 'S' -> size >= 0 && size <= (1 << 20);
                default -> false;
            };
            if (!valid) {
                throw NpzFormatException.of(file, member, "unsupported dtype '" + descr + "' ("
                        + (kind == 'f' && size == 2 ? "float16 is not read; convert to float32"
                                : "supported: f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1, strings skipped") + ")");
            }
            int item = kind == 'U' ? 4 * size : size;
            boolean oneByte = kind == 'S' || item <= 1;
            ByteOrder order;
            if (orderChar.equals("<")) {
                order = ByteOrder.LITTLE_ENDIAN;
            } else if (orderChar.equals(">")) {
                order = ByteOrder.BIG_ENDIAN;
            } else if (oneByte && (orderChar.equals("|") || orderChar.isEmpty())) {
                order = ByteOrder.LITTLE_ENDIAN;
            } else {
                throw NpzFormatException.of(file, member, "dtype '" + descr + "' has no explicit byte order "
                        + "('<' or '>'), which .npy files always give for multi-byte types");
            }
            return new Dtype(kind, item, order);
        }

        boolean numeric() {
            return kind == 'f' || kind == 'i' || kind == 'u' || kind == 'b';
        }

        double get(ByteBuffer b, int at) {
            return switch (kind) {
                case 'f' -> itemSize == 4 ? b.getFloat(at) : b.getDouble(at);
                case 'b' -> b.get(at) != 0 ? 1 : 0;
                case 'i' -> switch (itemSize) {
                    case 1 -> b.get(at);
                    case 2 -> b.getShort(at);
                    case 4 -> b.getInt(at);
                    default -> b.getLong(at);
                };
                default -> switch (itemSize) {
                    case 1 -> b.get(at) & 0xff;
                    case 2 -> b.getShort(at) & 0xffff;
                    case 4 -> Integer.toUnsignedLong(b.getInt(at));
                    default -> unsignedLongToDouble(b.getLong(at));
                };
            };
        }

        private static double unsignedLongToDouble(long v) {
            return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
        }
    }

    /** The restricted Python literal of a {@code .npy} header: a dict of str → str | bool | tuple of int. */
    private static final class HeaderParser {
        private final String s;
        private final Path file;
        private final String member;
        private int pos;

        HeaderParser(String s, Path file, String member) {
            this.s = s;
            this.file = file;
            this.member = member;
        }

        Map<String, Object> dict() throws NpzFormatException {
            Map<String, Object> out = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (out.put(key, value) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' at offset " + pos);
                }
            }
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the dict at offset " + pos);
            }
            return out;
        }

        private Object value() throws NpzFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                return List.of(); // a structured dtype's field list: reported by the caller
            }
            throw error("unsupported value at offset " + pos);
        }

        private long[] tuple() throws NpzFormatException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                int from = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                    pos++;
                }
                if (from == pos || pos - from > 18) {
                    throw error("shape entry at offset " + from + " is not a non-negative integer");
                }
                dims.add(Long.parseLong(s.substring(from, pos)));
                if (peek() == 'L') {
                    pos++;
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in the shape at offset " + pos);
                }
            }
            if (dims.size() > 32) {
                throw error("shape has " + dims.size() + " dimensions (numpy allows 32)");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() throws NpzFormatException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw error("expected a quoted string at offset " + pos);
            }
            int end = s.indexOf(q, pos + 1);
            if (end < 0) {
                throw error("unterminated string at offset " + pos);
            }
            String v = s.substring(pos + 1, end);
            if (v.indexOf('\\') >= 0) {
                throw error("escaped string at offset " + pos + " (not produced by numpy)");
            }
            pos = end + 1;
            return v;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) throws NpzFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\t'
                    || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private NpzFormatException error(String problem) {
            return NpzFormatException.of(file, member, "malformed .npy header (" + problem + ")");
        }
    }
}
