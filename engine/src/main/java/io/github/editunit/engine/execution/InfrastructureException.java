package io.github.editunit.engine.execution;

/** The run could not measure a case (model missing, edit failed, weights not restored): an error, not a failed check. */
public final class InfrastructureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InfrastructureException(String message) {
        super(message);
    }

    public InfrastructureException(String message, Throwable cause) {
        super(message, cause);
    }
}
