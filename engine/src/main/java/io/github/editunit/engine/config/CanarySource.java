package io.github.editunit.engine.config;

import io.github.editunit.framework.canary.CanarySetResolver;
import io.github.editunit.hardedit.canary.CanarySet;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a suite's canaries come from ({@link Constants#CANARY_SOURCE}): {@code world}, {@code neighbours}, a
 * file, or a classpath resource (copied to a temporary file when it lives in a jar). Checked at discovery
 * ({@link #problem}), read when the suite's model session starts ({@link #read}).
 */
public final class CanarySource {

    private CanarySource() {}

    /**
     * Why {@code spec} cannot give canaries for {@code model}, or empty: the same reading {@link #read} does (a
     * malformed file's error names file:line:field), so it is reported at discovery instead of at the first case.
     */
    public static Optional<String> problem(String spec, String model) {
        try {
            read(spec, List.of(), "", model);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The canary set of a suite's cases. */
    public static CanarySet read(String spec, List<EditCase> cases, String casesName, String model) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        boolean keyword = s.equals("world") || s.equals("neighbours") || s.equals("neighbors");
        String resolved = keyword ? spec : locate(spec).orElseThrow(() -> new IllegalArgumentException(
                "canary file " + spec + ": no such file or classpath resource (working directory "
                        + Paths.get("").toAbsolutePath() + ")")).toString();
        return CanarySetResolver.resolve(resolved, cases, casesName, modelDir(model));
    }

    private static Path modelDir(String model) {
        return BundledModels.isBundled(model) ? BundledModels.resolve(model) : Paths.get(model);
    }

    private static Optional<Path> locate(String spec) {
        Path p = Paths.get(spec);
        if (Files.isRegularFile(p)) {
            return Optional.of(p);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader == null ? null : loader.getResource(spec.startsWith("/") ? spec.substring(1) : spec);
        if (url == null) {
            return Optional.empty();
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Optional.of(Paths.get(url.toURI()));
            }
            Path copy = Files.createTempFile("editunit-canaries-", "-" + Paths.get(spec).getFileName());
            copy.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read canary resource " + url, e);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
