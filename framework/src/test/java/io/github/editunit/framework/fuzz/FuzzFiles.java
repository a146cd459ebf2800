package io.github.editunit.framework.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Helpers shared by the Jazzer fuzz targets ({@code *FuzzTest}) of this module: they write the
 * fuzzer's bytes to a file in a per-class temporary directory and check that a reader's error is
 * the typed, named error its contract promises.
 */
public final class FuzzFiles {

    private FuzzFiles() {
    }

    /** Writes {@code data} to {@code file}, replacing it (one file rewritten per input, no leak). */
    public static Path write(Path file, byte[] data) {
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the error's message names the file it came from. */
    public static void assertNamesFile(Throwable error, Path file) {
        assertThat(error.getMessage()).as("message of %s", error.getClass().getName())
                .isNotNull()
                .contains(file.toString());
    }

    /** {@code data} with every occurrence of {@code from} replaced by {@code to} (same length). */
    public static byte[] replaceAll(byte[] data, byte[] from, byte[] to) {
        if (from.length != to.length || from.length == 0) {
            throw new IllegalArgumentException("from and to must have the same, non-zero length");
        }
        byte[] out = data.clone();
        for (int i = 0; i + from.length <= out.length; i++) {
            int j = 0;
            while (j < from.length && out[i + j] == from[j]) {
                j++;
            }
            if (j == from.length) {
                System.arraycopy(to, 0, out, i, to.length);
                i += from.length - 1;
            }
        }
        return out;
    }

    /** Index of the first {@code 0} byte, or {@code data.length}. */
    public static int firstNul(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return data.length;
    }
}
