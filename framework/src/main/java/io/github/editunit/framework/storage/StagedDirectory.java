package io.github.editunit.framework.storage;

import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory written as a whole: files go into a hidden sibling {@code .NAME.partial-PID-…};
 * {@link #commit()} writes a {@link ModelManifest} (size and SHA-256 of every file) last and
 * renames the sibling to the target, replacing a previous version only then. An interrupted
 * writer therefore never leaves a target that looks complete: the target is either the previous
 * complete version, absent, or the new complete version. {@link #close()} without a commit
 * deletes the staging directory; staging directories of processes that died are removed by the
 * next {@link #begin(Path)} for the same target.
 */
public final class StagedDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Starts writing {@code target}. An existing target is replaced on commit, so it must be a
     * model directory (with {@code config.json}) or empty: anything else is refused, never deleted.
     */
    public static StagedDirectory begin(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IOException(target + ": cannot write a model into the root directory");
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(target + ": exists and is not a directory; refusing to replace it");
            }
            boolean empty;
            try (Stream<Path> s = Files.list(absolute)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.isRegularFile(absolute.resolve("config.json"))) {
                throw new IOException(target + ": exists, is not empty and is not a model directory (no config.json); "
                        + "refusing to replace it, choose a new or empty directory");
            }
        }
        Files.createDirectories(parent);
        removeStale(parent, absolute.getFileName().toString());
        Path staging = Files.createTempDirectory(parent, prefix(absolute.getFileName().toString()) + "partial-"
                + ProcessHandle.current().pid() + "-");
        try {
            // temporary directories are owner-only; a model directory gets ordinary permissions
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        return new StagedDirectory(absolute, staging);
    }

    private static String prefix(String name) {
        return "." + name + ".";
    }

    /** Where to write the files. */
    public Path path() {
        return staging;
    }

    /** The directory the files end up in. */
    public Path target() {
        return target;
    }

    /** Writes the manifest, then renames the staging directory to the target (replacing an old one). */
    public void commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed: " + target);
        }
        ModelManifest.of(staging).write(staging);
        String name = target.getFileName().toString();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path old = target.resolveSibling(prefix(name) + "replaced-" + ProcessHandle.current().pid() + "-"
                    + System.nanoTime());
            move(target, old);
            move(staging, target);
            deleteRecursively(old);
        } else {
            move(staging, target);
        }
        committed = true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes the staging directory unless committed. */
    @Override
    public void close() {
        if (!committed) {
            try {
                deleteRecursively(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the incomplete " + staging, e);
            }
        }
    }

    /** Deletes staging and replaced directories of {@code name} left by processes that no longer run. */
    private static void removeStale(Path parent, String name) {
        String prefix = prefix(name);
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(prefix)) {
                    continue;
                }
                String[] parts = n.substring(prefix.length()).split("-");
                // a "replaced" leftover is the previous version; kept while the target is missing
                boolean leftover = parts[0].equals("partial")
                        || parts[0].equals("replaced") && Files.exists(parent.resolve(name));
                if (parts.length >= 2 && leftover && parts[1].matches("\\d{1,18}")
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: leftovers are hidden and never loaded
        }
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
