package io.github.editunit.framework.safetensors;

import java.io.IOException;

/**
 * A safetensors file or shard index is malformed or inconsistent.
 *
 * <p>Extends {@link IOException} (checked) because it describes bad input data read from disk;
 * callers that already handle I/O failures handle this too. The message always starts with the
 * file, then names the tensor (if any) and the offending field, e.g. {@code model.safetensors:
 * tensor "h.0.mlp.c_fc.weight": data_offsets [0, 100] hold 100 bytes but shape [10, 4] of F32
 * needs 160}.
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String tensor;

    /**
     * @param file the file (or index) that is malformed, as shown to the user
     * @param tensor the tensor concerned, or {@code null} for file-level problems
     * @param detail what is wrong, naming the field
     */
    public SafetensorsFormatException(String file, String tensor, String detail) {
        this(file, tensor, detail, null);
    }

    /** Same as {@link #SafetensorsFormatException(String, String, String)} with a cause. */
    public SafetensorsFormatException(String file, String tensor, String detail, Throwable cause) {
        super(format(file, tensor, detail), cause);
        this.file = file;
        this.tensor = tensor;
    }

    private static String format(String file, String tensor, String detail) {
        return tensor == null
                ? file + ": " + detail
                : file + ": tensor \"" + tensor + "\": " + detail;
    }

    /** The file (or index) named in the message. */
    public String file() {
        return file;
    }

    /** The tensor named in the message, or {@code null} for file-level problems. */
    public String tensor() {
        return tensor;
    }
}
