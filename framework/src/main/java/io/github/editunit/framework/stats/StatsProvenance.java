package io.github.editunit.framework.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cached {@code C} came from, stored in the {@code .mom2} header and reported by
 * {@code stats}, {@code model-info}, the edit diagnostics and the Allure environment.
 *
 * @param kind {@value #PUBLISHED} (imported from a {@code .npz} file such as the ROME authors')
 *     or {@value #COMPUTED} (by EditUnit from a text corpus)
 * @param source the {@code .npz} file name, or the corpus name
 * @param sourceSha256 SHA-256 of the {@code .npz} file; null for computed statistics
 * @param count token positions averaged over ({@code mom2.count}, or the sample's tokens)
 * @param sourceDtype element type of the source ({@code float32} for ROME's files; {@code float64}
 *     accumulation for computed ones)
 * @param sampling for computed statistics, how the texts were chosen; null for published ones
 * @param sampleSize for computed statistics, the number of texts; for published ones the {@code n}
 *     of ROME's file name ({@code ..._mom2_100000.npz}) or 0 when the name does not say
 */
public record StatsProvenance(String kind, String source, String sourceSha256, long count, String sourceDtype,
        StatsSampling sampling, int sampleSize) {

    public static final String PUBLISHED = "published";
    public static final String COMPUTED = "computed";

    public static StatsProvenance computed(String corpus, long tokens, StatsSampling sampling, int texts) {
        return new StatsProvenance(COMPUTED, corpus, null, tokens, StatsMetadata.FLOAT64, sampling, texts);
    }

    public static StatsProvenance published(String fileName, String sha256, long count, String dtype, int n) {
        return new StatsProvenance(PUBLISHED, fileName, sha256, count, dtype, null, n);
    }

    public boolean isPublished() {
        return PUBLISHED.equals(kind);
    }

    /** One line: {@code published gpt2-xl...npz sha256 ab12… count 123 float32} or {@code computed corpus first 2000 texts ...}. */
    public String summary() {
        if (isPublished()) {
            return "published " + source + " (sha256 " + sourceSha256 + ", count " + count + ", " + sourceDtype + ")";
        }
        return "computed from " + source + " (" + sampling.mode() + " " + sampleSize + " texts"
                + (sampling.random() ? ", seed " + sampling.seed() : "") + ", " + count + " tokens)";
    }

    /** The fields as a JSON-ready map (nulls left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("source", source);
        if (sourceSha256 != null) {
            m.put("sourceSha256", sourceSha256);
        }
        m.put("count", count);
        m.put("sourceDtype", sourceDtype);
        if (sampling != null) {
            m.put("sampling", sampling.mode());
            if (sampling.random()) {
                m.put("seed", sampling.seed());
            }
        }
        m.put("sampleSize", sampleSize);
        return m;
    }
}
