package io.github.editunit.framework.stats;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code .mom2} file that is corrupt, truncated or not what its name promises. */
public final class StatsFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public StatsFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public String problem() {
        return problem;
    }
}
