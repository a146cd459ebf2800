package io.github.editunit.framework.model;

/**
 * A weight precision the runtime cannot compute in on the chosen device, found at load before any
 * tensor is read. The message names the precision, the device, what failed and the alternative.
 */
public final class UnsupportedPrecisionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnsupportedPrecisionException(String message) {
        super(message);
    }

    public UnsupportedPrecisionException(String message, Throwable cause) {
        super(message, cause);
    }
}
