package io.github.editunit.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Locates the bundled model ({@code editunit-tiny}): straight from the classpath directory when
 * running inside the repository, otherwise extracted once from the jar into
 * {@code ~/.cache/editunit/models/editunit-tiny-<version>} (override with the
 * {@code editunit.models.dir} system property).
 */
public final class BundledModels {

    /** Name users write instead of a directory, e.g. {@code model = "bundled"}. */
    public static final String BUNDLED = "bundled";
    public static final String TINY = "editunit-tiny";
    private static final String ROOT = "/io/github/editunit/models/" + TINY + "/";
    /** Every file of the bundled model directory, relative to it. */
    public static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json", "vocab.json",
            "merges.txt", "tokenizer_config.json", "MODEL_CARD.md", "stats-corpus.txt", "suites/single-edit.json",
            "suites/single-edit.extended.json", "suites/sequential-100.json", "suites/sequential-100.extended.json",
            "suites/heldout-ppl.json", "suites/facts.json");

    private BundledModels() {}

    /** Whether {@code name} refers to the bundled model. */
    public static boolean isBundled(String name) {
        return name != null && (name.equals(BUNDLED) || name.equals(TINY));
    }

    /** The directory of the bundled tiny model. */
    public static synchronized Path tiny() {
        URL config = BundledModels.class.getResource(ROOT + "config.json");
        if (config == null) {
            throw new IllegalStateException("the bundled model is not on the classpath (editunit-models jar)");
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
        Path dir = base.resolve(TINY + "-" + (version == null ? "dev" : version));
        try {
            if (!Files.isRegularFile(dir.resolve(".complete"))) {
                Path tmp = Files.createDirectories(base).resolve(TINY + ".tmp" + ProcessHandle.current().pid());
                for (String f : FILES) {
                    try (InputStream in = BundledModels.class.getResourceAsStream(ROOT + f)) {
                        if (in == null) {
                            continue;
                        }
                        Path target = tmp.resolve(f);
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.createFile(tmp.resolve(".complete"));
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    if (!Files.isRegularFile(dir.resolve(".complete"))) {
                        throw raced;
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled model to " + dir, e);
        }
    }

    /** A suite of the bundled model, e.g. {@code single-edit.extended.json}. */
    public static Path tinySuite(String fileName) {
        return tiny().resolve("suites").resolve(fileName);
    }
}
