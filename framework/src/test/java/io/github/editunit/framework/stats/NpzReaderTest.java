package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link NpyReader} and {@link NpzReader} on files written by {@link NpzTestFiles} (numpy's byte layout). */
class NpzReaderTest {

    @TempDir
    Path dir;

    /** A non-symmetric 2×3 matrix, so a transposed or column-major reading cannot pass. */
    static final double[] M23 = {1, 2, 3, 4, 5, 6};
    /** M23 in Fortran (column-major) order. */
    static final double[] M23_F = {1, 4, 2, 5, 3, 6};

    @ParameterizedTest(name = "{0}: C-order values as written (rules out ignoring byte order)")
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8", "<i8", ">i8", "<u4", ">u4", "<i4"})
    void readsEveryNumericDtypeInBothByteOrders(String descr) throws Exception {
        byte[] npy = NpzTestFiles.npy(descr, new long[] {2, 3}, false, M23);
        NpyArray a = NpyReader.read(new ByteArrayInputStream(npy), dir.resolve("x.npz"), "m");
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.values()).containsExactly(M23);
        assertThat(a.dtype()).isEqualTo(descr);
    }

    @Test
    void fortranOrderIsReorderedToCOrderNotTransposedNorIgnored() throws Exception {
        byte[] npy = NpzTestFiles.npy("<f8", new long[] {2, 3}, true, M23_F);
        NpyArray a = NpyReader.read(new ByteArrayInputStream(npy), dir.resolve("x.npz"), "m");
        // ignoring fortran_order would give M23_F; a transpose without reshaping would give shape (3, 2)
        assertThat(a.values()).containsExactly(M23);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.fortranOrder()).isTrue();
        double[] cube = new double[24];
        for (int i = 0; i < 24; i++) {
            cube[i] = i;
        }
        // 3-d: element [i][j][k] of shape (2,3,4) sits at i + 2j + 6k in Fortran order
        double[] f = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    f[i + 2 * j + 6 * k] = cube[i * 12 + j * 4 + k];
                }
            }
        }
        NpyArray c = NpyReader.read(new ByteArrayInputStream(NpzTestFiles.npy(">f4", new long[] {2, 3, 4}, true, f)),
                dir.resolve("x.npz"), "cube");
        assertThat(c.values()).containsExactly(cube);
    }

    @ParameterizedTest(name = "npy format {0}.0 header")
    @ValueSource(ints = {1, 2, 3})
    void readsHeaderVersionsOneTwoAndThree(int major) throws Exception {
        byte[] npy = NpzTestFiles.npy(major, NpzTestFiles.header("<f4", new long[] {3}, false),
                NpzTestFiles.encode("<f4", new double[] {1.5, -2, 3}));
        NpyArray a = NpyReader.read(new ByteArrayInputStream(npy), dir.resolve("x.npz"), "v");
        assertThat(a.values()).containsExactly(1.5, -2, 3);
        assertThat(a.shapeText()).isEqualTo("(3,)");
    }

    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {true, false})
    void readsStoredAndDeflatedZipsWithRomeStringMembers(boolean deflated) throws Exception {
        Path f = NpzTestFiles.write(dir.resolve("s.npz"), NpzTestFiles.romeLayout(M23.clone(), 0, 7, "<f4"), deflated);
        // romeLayout with dk 0 writes shape (0, 0) for mom2.mom2 but the data of M23: trailing bytes
        assertThatThrownBy(() -> NpzReader.read(f)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining("trailing bytes").hasMessageContaining("mom2.mom2").hasMessageContaining(f.toString());
        double[] sq = {1, 2, 3, 4};
        Path g = NpzTestFiles.write(dir.resolve("t.npz"), NpzTestFiles.romeLayout(sq, 2, 7, "<f4"), deflated);
        Map<String, NpyArray> m = NpzReader.read(g);
        assertThat(m.keySet()).containsExactly("constructor", "mom2.constructor", "mom2.count", "mom2.mom2");
        assertThat(m.get("constructor").numeric()).isFalse();
        assertThat(m.get("mom2.count").values()).containsExactly(7);
        assertThat(m.get("mom2.mom2").values()).containsExactly(sq);
    }

    @Test
    void pickledMemberIsRefusedWithItsNameAndTheFile() throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>(NpzTestFiles.romeLayout(new double[] {1}, 1, 1, "<f4"));
        // np.save of an object array: descr '|O', then a pickle stream (here pickle protocol 2 header bytes)
        members.put("mom2.mom2", NpzTestFiles.npy(1, NpzTestFiles.header("|O", new long[] {1, 1}, false),
                new byte[] {(byte) 0x80, 2, 'N', '.'}));
        Path f = NpzTestFiles.write(dir.resolve("pickled.npz"), members, true);
        assertThatThrownBy(() -> NpzReader.read(f)).isInstanceOf(NpzFormatException.class)
                .hasMessageStartingWith("pickled member mom2.mom2 in " + f + ": refused")
                .satisfies(e -> assertThat(((NpzFormatException) e).member()).isEqualTo("mom2.mom2"));
    }

    @Test
    void truncatedZipIsRefusedNamingTheFile() throws Exception {
        byte[] good = NpzTestFiles.npz(NpzTestFiles.romeLayout(new double[] {1, 2, 2, 5}, 2, 3, "<f4"), true);
        Path f = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> NpzReader.read(f)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("not a readable .npz");
    }

    @Test
    void corruptStoredMemberIsRefusedNamingFileAndMember() throws Exception {
        byte[] good = NpzTestFiles.npz(Map.of("mom2.mom2", NpzTestFiles.npy("<f4", new long[] {2, 2}, false,
                new double[] {1, 2, 2, 5})), false);
        byte[] bad = good.clone();
        int at = indexOf(bad, NpyReader.MAGIC);
        bad[at + 1] = 'X'; // "\x93NXMPY": CRC still matches only the original, and the magic is wrong
        Path f = Files.write(dir.resolve("corrupt.npz"), bad);
        assertThatThrownBy(() -> NpzReader.read(f)).isInstanceOf(NpzFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("mom2.mom2");
    }

    @Test
    void unsupportedAndNativeOrderDtypesAreRefusedByName() throws Exception {
        for (String descr : new String[] {"<f2", "<c8", "f4", "=f8"}) {
            byte[] npy = NpzTestFiles.npy(1, NpzTestFiles.header(descr, new long[] {1}, false), new byte[8]);
            assertThatThrownBy(() -> NpyReader.read(new ByteArrayInputStream(npy), dir.resolve("d.npz"), "mom2.mom2"))
                    .as(descr).isInstanceOf(NpzFormatException.class).hasMessageContaining(descr)
                    .hasMessageContaining("mom2.mom2").hasMessageContaining(dir.resolve("d.npz").toString());
        }
    }

    @Test
    void declaredShapeLargerThanTheDataIsATruncationNotAnAllocation() throws Exception {
        byte[] npy = NpzTestFiles.npy(1, NpzTestFiles.header("<f8", new long[] {100000, 2000}, false), new byte[16]);
        assertThatThrownBy(() -> NpyReader.read(new ByteArrayInputStream(npy), dir.resolve("big.npz"), "m"))
                .isInstanceOf(NpzFormatException.class).hasMessageContaining("data truncated: 16 of 1600000000 bytes");
    }

    static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
