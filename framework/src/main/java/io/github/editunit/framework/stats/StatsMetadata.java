package io.github.editunit.framework.stats;

/**
 * What a second-moment matrix was computed from; stored in the cache file header and checked
 * when the file is read.
 *
 * @param modelHash SHA-256 of the model weights ({@code ParameterStore.contentHash()})
 * @param corpusName name of the corpus
 * @param corpusHash {@link StatsSample#contentHash()} of the sequences used
 * @param layer 0-based block index
 * @param sampleCount number of texts
 * @param tokenCount number of (non-padding) tokens averaged over
 * @param dim key width {@code d_k}
 * @param dtype element type of the stored matrix (always {@code float64})
 * @param provenance where it came from (published file or computed sample)
 */
public record StatsMetadata(
        String modelHash,
        String corpusName,
        String corpusHash,
        int layer,
        int sampleCount,
        long tokenCount,
        int dim,
        String dtype,
        StatsProvenance provenance) {

    public static final String FLOAT64 = "float64";

    /** Statistics computed from the first {@code sampleCount} texts (provenance derived). */
    public StatsMetadata(String modelHash, String corpusName, String corpusHash, int layer, int sampleCount,
            long tokenCount, int dim, String dtype) {
        this(modelHash, corpusName, corpusHash, layer, sampleCount, tokenCount, dim, dtype,
                StatsProvenance.computed(corpusName, tokenCount, StatsSampling.FIRST, sampleCount));
    }
}
