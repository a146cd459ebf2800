package io.github.editunit.engine.execution;

/** A case record could not be read: reported as an error of its own test. */
public final class InvalidCaseFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidCaseFileException(String message) {
        super(message);
    }
}
