package io.github.editunit.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The size and SHA-256 of every file of a model directory, stored in the directory as
 * {@value #FILE_NAME} and written <em>last</em>, so a directory with a manifest was written
 * completely. Written by {@code train}/{@code train-tiny} and by the bundled-model extraction;
 * checked when such a directory is used, so a missing, truncated or altered file is named.
 *
 * <pre>
 * editunit-manifest v1
 * &lt;sha256 hex&gt; &lt;size&gt; &lt;relative/path&gt;
 * ...
 * end &lt;number of files&gt;
 * </pre>
 */
public final class ModelManifest {

    /** The manifest's file name inside the model directory. */
    public static final String FILE_NAME = "editunit-manifest.sha256";
    private static final String FIRST_LINE = "editunit-manifest v1";
    private static final Pattern ENTRY = Pattern.compile("([0-9a-f]{64}) (\\d{1,18}) (\\S.*)");

    /** Size and SHA-256 (lower-case hex) of one file. */
    public record Entry(long size, String sha256) {}

    private final Map<String, Entry> entries;

    public ModelManifest(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** Relative path ({@code /}-separated) → size and SHA-256. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The manifest of every regular file under {@code dir} (recursively), except the manifest
     * itself and hidden files (names starting with {@code .}, e.g. temporary files).
     */
    public static ModelManifest of(Path dir) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = relative(dir, f);
            if (rel.equals(FILE_NAME) || isHidden(rel)) {
                continue;
            }
            out.put(rel, new Entry(Files.size(f), sha256(f)));
        }
        return new ModelManifest(out);
    }

    private static String relative(Path dir, Path f) {
        return dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
    }

    private static boolean isHidden(String rel) {
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The manifest's text. */
    public String text() {
        StringBuilder sb = new StringBuilder(FIRST_LINE).append('\n');
        entries.forEach((name, e) -> sb.append(e.sha256()).append(' ').append(e.size()).append(' ').append(name)
                .append('\n'));
        sb.append("end ").append(entries.size()).append('\n');
        return sb.toString();
    }

    /** Writes {@value #FILE_NAME} into {@code dir} atomically (temp file, fsync, rename). */
    public void write(Path dir) throws IOException {
        Path target = dir.resolve(FILE_NAME);
        Path tmp = Files.createTempFile(dir, "." + FILE_NAME + ".", ".tmp");
        boolean moved = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(text().getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            moveIntoPlace(tmp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * The manifest of {@code dir}, or empty when it has none.
     *
     * @throws IOException naming the manifest file when it is unreadable or malformed (e.g. truncated)
     */
    public static Optional<ModelManifest> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": corrupt manifest (not UTF-8 text)");
        }
        if (lines.isEmpty() || !lines.get(0).equals(FIRST_LINE)) {
            throw new IOException(file + ": corrupt manifest (does not start with \"" + FIRST_LINE + "\")");
        }
        String last = lines.get(lines.size() - 1);
        if (!last.equals("end " + (lines.size() - 2))) {
            throw new IOException(file + ": corrupt manifest (truncated: no \"end " + (lines.size() - 2)
                    + "\" line)");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 1; i < lines.size() - 1; i++) {
            var m = ENTRY.matcher(lines.get(i));
            if (!m.matches()) {
                throw new IOException(file + ": corrupt manifest (line " + (i + 1) + " is not \"sha256 size path\")");
            }
            String name = m.group(3);
            if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains("..")) {
                throw new IOException(file + ": corrupt manifest (line " + (i + 1) + " names a path outside the "
                        + "directory)");
            }
            entries.put(name, new Entry(Long.parseLong(m.group(2)), m.group(1)));
        }
        return Optional.of(new ModelManifest(entries));
    }

    /**
     * Checks the files of {@code dir} that {@code which} selects against this manifest: each must
     * exist with the recorded size and SHA-256.
     *
     * @return the problems, each naming the file; empty when everything matches
     */
    public List<String> problems(Path dir, Predicate<String> which) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!which.test(e.getKey())) {
                continue;
            }
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                out.add(f + ": missing (listed in " + FILE_NAME + ")");
                continue;
            }
            long size = Files.size(f);
            if (size != e.getValue().size()) {
                out.add(f + ": " + size + " bytes, " + FILE_NAME + " records " + e.getValue().size()
                        + (size < e.getValue().size() ? " (truncated)" : ""));
            } else if (!sha256(f).equals(e.getValue().sha256())) {
                out.add(f + ": SHA-256 differs from " + FILE_NAME + " (the file is corrupt or was changed)");
            }
        }
        return out;
    }

    /**
     * Verifies the files of {@code dir} against its manifest, if it has one.
     *
     * @throws IOException naming the first missing, truncated or altered file (or the corrupt manifest)
     */
    public static void verify(Path dir, Predicate<String> which) throws IOException {
        Optional<ModelManifest> m = read(dir);
        if (m.isPresent()) {
            List<String> problems = m.get().problems(dir, which);
            if (!problems.isEmpty()) {
                throw new IOException(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                        + " more problem(s))" : "") + "; the model directory is incomplete or corrupt");
            }
        }
    }

    /** SHA-256 (lower-case hex) of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renames, replacing the target: atomically where possible, else a plain replacing move. */
    static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
