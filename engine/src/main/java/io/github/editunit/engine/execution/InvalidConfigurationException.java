package io.github.editunit.engine.execution;

/** A suite's configuration cannot work (unknown method, threshold outside [0, 1], missing model directory, …): its own failing test. */
public final class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
