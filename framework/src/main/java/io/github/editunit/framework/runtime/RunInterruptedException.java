package io.github.editunit.framework.runtime;

/**
 * The run was asked to stop (SIGINT, SIGTERM, {@code System.exit}) and stopped at a checkpoint;
 * whatever was in progress has been undone or left only as a resumable checkpoint.
 */
public final class RunInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunInterruptedException(String message) {
        super(message);
    }
}
