package io.github.editunit.framework.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tokenizer file ({@code tokenizer.json}, {@code vocab.json}, {@code merges.txt}) is malformed.
 * The message starts with the file and names the field or line, e.g. {@code tokenizer.json:
 * model.vocab "Ġthe": id -3 is negative}.
 */
public class TokenizerFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public TokenizerFormatException(Path file, String detail) {
        this(file, detail, null);
    }

    public TokenizerFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The malformed file. */
    public Path file() {
        return file;
    }
}
