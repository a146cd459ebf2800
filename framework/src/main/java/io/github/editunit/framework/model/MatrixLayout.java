package io.github.editunit.framework.model;

/** How a checkpoint stores a projection matrix that maps {@code in}-vectors to {@code out}-vectors. */
public enum MatrixLayout {
    /** Stored as {@code [in, out]} (GPT-2's Conv1D): {@code y = x W + b}. */
    IN_OUT,
    /** Stored as {@code [out, in]} (torch Linear, GPT-J, Llama): {@code y = x Wᵀ + b}. */
    OUT_IN
}
