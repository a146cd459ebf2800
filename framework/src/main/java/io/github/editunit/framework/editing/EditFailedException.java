package io.github.editunit.framework.editing;

/** An edit could not be computed (e.g. non-finite values); the weights were restored. */
public class EditFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EditFailedException(String message) {
        super(message);
    }

    public EditFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
