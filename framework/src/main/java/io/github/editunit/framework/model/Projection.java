package io.github.editunit.framework.model;

/**
 * A named projection matrix of the model, described by role rather than by architecture.
 *
 * @param weightName parameter name of the weight
 * @param biasName parameter name of the bias, or {@code null} when the projection has none
 * @param layout how the weight is stored
 * @param inDim dimension of the input vectors (the "key" size for an MLP down-projection)
 * @param outDim dimension of the output vectors
 */
public record Projection(String weightName, String biasName, MatrixLayout layout, int inDim, int outDim) {

    /** Shape of the stored weight. */
    public long[] storedShape() {
        return layout == MatrixLayout.IN_OUT ? new long[] {inDim, outDim} : new long[] {outDim, inDim};
    }
}
