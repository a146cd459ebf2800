package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link Mom2File#read}. First input byte odd: the rest is written with its SHA-256
 * appended, so the fuzzer also gets past the checksum to the matrix checks; even: the rest is
 * the file as is. Contract: statistics whose matrix is {@code dim × dim} finite values, or a
 * {@link StatsFileException} naming the file.
 */
class Mom2FileFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void read(byte[] bytes) throws IOException {
        byte[] body = bytes.length == 0 ? bytes : Arrays.copyOfRange(bytes, 1, bytes.length);
        if (bytes.length > 0 && (bytes[0] & 1) == 1) {
            byte[] sum = sha256(body);
            body = Arrays.copyOf(body, body.length + sum.length);
            System.arraycopy(sum, 0, body, body.length - sum.length, sum.length);
        }
        Path file = FuzzFiles.write(dir.resolve("layer0.mom2"), body);
        SecondMomentStatistics s;
        try {
            s = Mom2File.read(file);
        } catch (StatsFileException e) {
            assertThat(e.file()).isEqualTo(file);
            FuzzFiles.assertNamesFile(e, file);
            return;
        }
        int d = s.metadata().dim();
        assertThat(d).isPositive();
        double[] m = s.matrix();
        assertThat((long) m.length).isEqualTo((long) d * d);
        assertThat(Arrays.stream(m).allMatch(Double::isFinite)).isTrue();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
