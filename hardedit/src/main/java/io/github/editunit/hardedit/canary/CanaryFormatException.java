package io.github.editunit.hardedit.canary;

/** A canary file that cannot be read; the message names the file, the line and the field. */
public final class CanaryFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CanaryFormatException(String message) {
        super(message);
    }

    public CanaryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
