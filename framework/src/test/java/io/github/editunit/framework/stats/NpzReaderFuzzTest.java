package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.editunit.framework.fuzz.FuzzFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link NpzReader#read} (and through it {@link NpyReader}). First input byte odd: the rest
 * is one {@code .npy} member, {@code mom2.mom2.npy}, stored in a valid zip, so the fuzzer works on
 * the {@code .npy} header and data rather than on the zip structure; even: the rest is the
 * {@code .npz} file as is. Contract: arrays whose numeric values number exactly their shape's
 * element count, or an {@link NpzFormatException} naming the file.
 */
class NpzReaderFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void read(byte[] bytes) throws IOException {
        byte[] body = bytes.length == 0 ? bytes : Arrays.copyOfRange(bytes, 1, bytes.length);
        if (bytes.length > 0 && (bytes[0] & 1) == 1) {
            body = storedZip("mom2.mom2.npy", body);
        }
        Path file = FuzzFiles.write(dir.resolve("stats.npz"), body);
        Map<String, NpyArray> arrays;
        try {
            arrays = NpzReader.read(file);
        } catch (NpzFormatException e) {
            assertThat(e.file()).isEqualTo(file);
            FuzzFiles.assertNamesFile(e, file);
            return;
        }
        assertThat(arrays).isNotEmpty();
        for (NpyArray a : arrays.values()) {
            assertThat(java.util.Arrays.stream(a.shape()).allMatch(d -> d >= 0)).isTrue();
            if (a.numeric()) {
                assertThat((long) a.values().length).isEqualTo(a.elementCount());
            }
        }
    }

    static byte[] storedZip(String name, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(name);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
