package io.github.editunit.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Locates the bundled models ({@code editunit-tiny}, a GPT-2, and {@code editunit-tiny-llama}, a
 * Llama): straight from the classpath directory when running inside the repository, otherwise
 * extracted once from the jar into {@code ~/.cache/editunit/models/<name>-<version>} (override with the
 * {@code editunit.models.dir} system property), atomically and with a {@link ModelManifest} that
 * is checked on every use.
 */
public final class BundledModels {

    /** Name users write instead of a directory for the default bundled model (the GPT-2), e.g. {@code model = "bundled"}. */
    public static final String BUNDLED = "bundled";
    /** The bundled GPT-2. */
    public static final String TINY = "editunit-tiny";
    /** The bundled Llama (grouped-query attention, BOS token). */
    public static final String TINY_LLAMA = "editunit-tiny-llama";
    /** Every bundled model, by the name users write for it. */
    public static final List<String> NAMES = List.of(TINY, TINY_LLAMA);
    /** Completion marker of extractions by versions without manifests. */
    private static final String COMPLETE = ".complete";
    /** Every file of the bundled model directory, relative to it. */
    public static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.json",
            "merges.txt", "tokenizer_config.json", "MODEL_CARD.md", "stats-corpus.txt", "suites/single-edit.json",
            "suites/single-edit.extended.json", "suites/sequential-100.json", "suites/sequential-100.extended.json",
            "suites/heldout-ppl.json", "suites/facts.json", "suites/hard-rome.json");

    private BundledModels() {}

    /** Whether {@code name} refers to a bundled model ({@code bundled}, {@code editunit-tiny}, {@code editunit-tiny-llama}). */
    public static boolean isBundled(String name) {
        return name != null && (name.equals(BUNDLED) || NAMES.contains(name));
    }

    /** The bundled model's directory name for {@code name} ({@code bundled} is {@link #TINY}). */
    public static String canonicalName(String name) {
        if (!isBundled(name)) {
            throw new IllegalArgumentException(name + ": not a bundled model (bundled models: " + BUNDLED + ", "
                    + String.join(", ", NAMES) + ")");
        }
        return name.equals(BUNDLED) ? TINY : name;
    }

    private static String root(String model) {
        return "/io/github/editunit/models/" + model + "/";
    }

    /** The directory of the bundled model {@code name} (see {@link #tiny()}). */
    public static Path resolve(String name) {
        return directory(canonicalName(name));
    }

    /**
     * The directory of the bundled tiny model. Outside the repository the model is extracted
     * from the jar: into a hidden temporary sibling directory, with a {@link ModelManifest}
     * (size and SHA-256 of each file) written last, then renamed into place atomically. Every
     * call checks the extracted files against the manifest; an extraction that is incomplete,
     * truncated or altered is reported on stderr naming the file, discarded and extracted again.
     */
    public static Path tiny() {
        return directory(TINY);
    }

    private static synchronized Path directory(String model) {
        URL config = BundledModels.class.getResource(root(model) + "config.json");
        if (config == null) {
            throw new IllegalStateException("the bundled model " + model + " is not on the classpath (editunit-models jar)");
        }
        if ("file".equals(config.getProtocol())) {
            try {
                return Paths.get(config.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        String version = BundledModels.class.getPackage().getImplementationVersion();
        Path base = System.getProperty("editunit.models.dir") != null ? Paths.get(System.getProperty("editunit.models.dir"))
                : Paths.get(System.getProperty("user.home"), ".cache", "editunit", "models");
        return extracted(model, base, version == null ? "dev" : version, System.err);
    }

    /**
     * The bundled model extracted under {@code base} as {@code editunit-tiny-<version>}: used when it
     * matches its manifest, else (missing, incomplete, truncated, altered, or extracted by a version
     * without manifests) reported on {@code log} naming the file, discarded and extracted again.
     */
    static synchronized Path extracted(Path base, String version, PrintStream log) {
        return extracted(TINY, base, version, log);
    }

    /** {@link #extracted(Path, String, PrintStream)} for the bundled model {@code model}. */
    static synchronized Path extracted(String model, Path base, String version, PrintStream log) {
        Path dir = base.resolve(model + "-" + version);
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                String problem = problem(model, dir);
                if (problem == null || adoptLegacy(model, dir)) {
                    markComplete(dir);
                    return dir;
                }
                if (log != null) {
                    log.println("[models] discarding the extracted bundled model: " + problem + "; extracting it again");
                }
                discard(model, base, dir, version);
            }
            Files.createDirectories(base);
            removeStale(model, base, version);
            Path tmp = Files.createTempDirectory(base, hiddenPrefix(model, version) + "partial-" + ProcessHandle.current().pid()
                    + "-");
            try {
                // temporary directories are owner-only; the extraction gets ordinary permissions
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            try {
                extractInto(model, tmp);
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // another process may have put a complete extraction there first
                    String problem = Files.exists(dir) ? problem(model, dir) : "missing";
                    if (problem != null) {
                        throw new IOException("cannot move " + tmp + " to " + dir + " (" + raced + "); " + problem, raced);
                    }
                }
            } finally {
                deleteRecursively(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * An extraction made before manifests existed (a {@code .complete} marker, no manifest) whose files
     * all equal the jar's gets its manifest, so processes still using it are not disturbed.
     */
    private static boolean adoptLegacy(String model, Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(COMPLETE)) || Files.exists(dir.resolve(ModelManifest.FILE_NAME))) {
            return false;
        }
        Map<String, ModelManifest.Entry> entries = new TreeMap<>();
        for (String f : FILES) {
            try (InputStream in = BundledModels.class.getResourceAsStream(root(model) + f)) {
                if (in == null) {
                    continue;
                }
                MessageDigest sha = ModelManifest.newSha256();
                long size = new DigestInputStream(in, sha).transferTo(OutputStream.nullOutputStream());
                ModelManifest.Entry e = new ModelManifest.Entry(size, HexFormat.of().formatHex(sha.digest()));
                Path file = dir.resolve(f);
                if (!Files.isRegularFile(file) || Files.size(file) != size
                        || !ModelManifest.sha256(file).equals(e.sha256())) {
                    return false;
                }
                entries.put(f, e);
            }
        }
        new ModelManifest(entries).write(dir);
        return true;
    }

    /** Copies every file of the jar's model into {@code tmp}, synced, then writes the manifest last. */
    private static void extractInto(String model, Path tmp) throws IOException {
        Map<String, ModelManifest.Entry> entries = new TreeMap<>();
        for (String f : FILES) {
            try (InputStream in = BundledModels.class.getResourceAsStream(root(model) + f)) {
                if (in == null) {
                    continue;
                }
                Path target = tmp.resolve(f);
                Files.createDirectories(target.getParent());
                MessageDigest sha = ModelManifest.newSha256();
                long size = Files.copy(new DigestInputStream(in, sha), target);
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                entries.put(f, new ModelManifest.Entry(size, HexFormat.of().formatHex(sha.digest())));
            }
        }
        markComplete(tmp);
        new ModelManifest(entries).write(tmp);
    }

    /**
     * The marker older versions look for: without it they try to extract again, cannot move their copy
     * over this directory and fail, so every valid extraction carries it.
     */
    private static void markComplete(Path dir) throws IOException {
        Path marker = dir.resolve(COMPLETE);
        if (!Files.exists(marker)) {
            try {
                Files.createFile(marker);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process wrote it
            }
        }
    }

    /** Why the extraction in {@code dir} cannot be used (naming the file), or null when it matches its manifest. */
    static String problem(Path dir) {
        return problem(TINY, dir);
    }

    static String problem(String model, Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                return dir + ": not a directory";
            }
            Optional<ModelManifest> manifest = ModelManifest.read(dir);
            if (manifest.isEmpty()) {
                return dir.resolve(ModelManifest.FILE_NAME) + ": missing (extraction incomplete or made by an older "
                        + "version)";
            }
            for (String f : FILES) {
                if (!manifest.get().entries().containsKey(f) && BundledModels.class.getResource(root(model) + f) != null) {
                    return dir.resolve(f) + ": not listed in " + ModelManifest.FILE_NAME;
                }
            }
            List<String> problems = manifest.get().problems(dir, f -> true);
            if (!problems.isEmpty()) {
                return problems.get(0);
            }
            // a self-consistent extraction of another build of the same version (a rebuilt SNAPSHOT, "dev"): its
            // files match its own manifest but not this jar
            for (String f : FILES) {
                ModelManifest.Entry e = manifest.get().entries().get(f);
                String inJar = jarDigest(model, f);
                if (e != null && inJar != null && !inJar.equals(e.sha256())) {
                    return dir.resolve(f) + ": differs from the file in the editunit-models jar (extracted from "
                            + "another build of the same version)";
                }
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** SHA-256 of each bundled file as the jar holds it, per model and file; computed once per JVM. */
    private static final Map<String, Optional<String>> JAR_DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String jarDigest(String model, String file) throws IOException {
        String key = root(model) + file;
        Optional<String> known = JAR_DIGESTS.get(key);
        if (known == null) {
            try (InputStream in = BundledModels.class.getResourceAsStream(key)) {
                if (in == null) {
                    known = Optional.empty();
                } else {
                    MessageDigest sha = ModelManifest.newSha256();
                    in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), sha));
                    known = Optional.of(HexFormat.of().formatHex(sha.digest()));
                }
            }
            JAR_DIGESTS.put(key, known);
        }
        return known.orElse(null);
    }

    private static String hiddenPrefix(String model, String version) {
        return "." + model + "-" + version + ".";
    }

    /** Renames the unusable extraction out of the way (so no reader sees it half-deleted), then deletes it. */
    private static void discard(String model, Path base, Path dir, String version) throws IOException {
        Path trash = base.resolve(hiddenPrefix(model, version) + "discarded-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return; // another process discarded it first
        }
        deleteRecursively(trash);
    }

    /** Deletes temporary and discarded directories left behind by processes that no longer run. */
    private static void removeStale(String model, Path base, String version) {
        String prefix = hiddenPrefix(model, version);
        try (Stream<Path> s = Files.list(base)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String[] parts = name.substring(prefix.length()).split("-");
                if (parts.length >= 2 && parts[1].matches("\\d{1,18}")
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: leftovers are hidden and never used
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A suite of the bundled model, e.g. {@code single-edit.extended.json}. */
    public static Path tinySuite(String fileName) {
        return tiny().resolve("suites").resolve(fileName);
    }

    /** A suite of the bundled model {@code name}, e.g. {@code single-edit.extended.json}. */
    public static Path suite(String name, String fileName) {
        return resolve(name).resolve("suites").resolve(fileName);
    }
}
