package io.github.editunit.framework.bundled;

import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A writable copy of a bundled model directory, for tests that write into it (tuned files, cards). */
public final class BundledModelCopy {

    private BundledModelCopy() {}

    /** Copies the bundled GPT-2 model ({@link BundledModels#tiny()}) to {@code target} and returns it. */
    public static Path tiny(Path target) throws IOException {
        Path bundled = BundledModels.tiny();
        try (Stream<Path> files = Files.walk(bundled)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = target.resolve(bundled.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return target;
    }
}
