package io.github.editunit.framework.tracing;

/** A probability or the embedding spread of causal tracing turned NaN or infinite; the message names the case and the run. */
public final class NonFiniteTraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteTraceException(String message) {
        super(message);
    }
}
