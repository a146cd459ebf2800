package io.github.editunit.framework.stats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a numpy {@code .npz} file: a zip (members stored or deflated, zip64 allowed) of
 * {@code NAME.npy} members, each read by {@link NpyReader}. Every problem — not a zip, truncated,
 * a member that is not {@code .npy}, duplicated, pickled or malformed — is an
 * {@link NpzFormatException} naming the file (and the member).
 */
public final class NpzReader {

    private NpzReader() {}

    /** Every member, by array name (entry name without {@code .npy}), in file order. */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such .npz file");
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String entry = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!entry.endsWith(".npy")) {
                    throw NpzFormatException.of(file, entry, "member is not a .npy array");
                }
                String name = entry.substring(0, entry.length() - ".npy".length());
                if (out.containsKey(name)) {
                    throw NpzFormatException.of(file, name, "duplicate member");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, NpyReader.read(in, file, name));
                } catch (NpzFormatException x) {
                    throw x;
                } catch (IOException | RuntimeException x) {
                    // ZipException / EOFException of a corrupt entry; IllegalArgumentException of bad sizes
                    throw NpzFormatException.of(file, name, "corrupt zip member (" + x + ")");
                }
            }
        } catch (NpzFormatException e) {
            throw e;
        } catch (ZipException e) {
            throw NpzFormatException.of(file, null, "not a readable .npz (zip) file: " + e.getMessage()
                    + " (truncated or corrupt download?)");
        } catch (IOException | RuntimeException e) {
            throw NpzFormatException.of(file, null, "not a readable .npz (zip) file: " + e);
        }
        if (out.isEmpty()) {
            throw NpzFormatException.of(file, null, "no .npy members");
        }
        return out;
    }
}
