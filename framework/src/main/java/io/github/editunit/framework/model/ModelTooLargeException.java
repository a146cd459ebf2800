package io.github.editunit.framework.model;

/**
 * A model whose estimated memory ({@link MemoryEstimate}) exceeds what the machine can give
 * ({@link MemoryBudget}), refused at load before any tensor is read. The message carries the
 * numbers and the precisions that would fit.
 */
public final class ModelTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient MemoryEstimate estimate;
    private final long availableBytes;

    public ModelTooLargeException(String message, MemoryEstimate estimate, long availableBytes) {
        super(message);
        this.estimate = estimate;
        this.availableBytes = availableBytes;
    }

    public MemoryEstimate estimate() {
        return estimate;
    }

    public long availableBytes() {
        return availableBytes;
    }
}
