/**
 * Second-moment statistics {@code C = E[k kᵀ]} of the MLP down-projection input (the ROME/MEMIT
 * "key"), computed in float64 over every non-padding token of a text sample, and cached on disk.
 *
 * <ul>
 *   <li>{@link io.github.editunit.framework.stats.SecondMoment} computes several layers in one
 *       pass (length-bucketed batches, default max(3 × context, 2048) padded tokens per forward pass), running
 *       the blocks only up to the highest requested layer's key; {@code -Deditunit.stats.path=reference}
 *       selects the path as it was before (full forward, 3 × context).
 *   <li>{@link io.github.editunit.framework.stats.SecondMomentStatistics} holds {@code C} and its
 *       metadata; {@code solve(k)} and {@code inverse()} go through a float64 Cholesky factor.
 *   <li>{@link io.github.editunit.framework.stats.StatisticsCache} stores one
 *       {@link io.github.editunit.framework.stats.Mom2File} per key under
 *       {@code {dir}/{modelHash16}/layer{L}_{corpusHash12}_{n}.mom2} ({@code ..._random{SEED}} for a
 *       seeded random sample, {@link io.github.editunit.framework.stats.StatsSampling}); files are written
 *       atomically, verified on read (SHA-256, size, header), and corrupt or mismatching ones
 *       are reported, deleted and recomputed.
 *   <li>{@link io.github.editunit.framework.stats.PublishedStatistics} imports published {@code .npz}
 *       files (ROME's layout, read by {@link io.github.editunit.framework.stats.NpzReader} and
 *       {@link io.github.editunit.framework.stats.NpyReader}) into the same cache; every cached C
 *       carries its {@link io.github.editunit.framework.stats.StatsProvenance}.
 * </ul>
 *
 * <p><b>Regularisation.</b> {@code C} is typically ill-conditioned (condition numbers around 1e6
 * were seen for real keys), which float64 Cholesky handles without help, so {@code C} is used
 * unregularised whenever it is numerically positive definite, matching the reference
 * implementation. Only when it is numerically singular (fewer tokens than {@code d_k}, dead
 * units) is {@code C + εI} used, with {@code ε = ratio · trace(C)/d_k} (ratio 1e-6, configurable),
 * raised tenfold until the factorisation succeeds; the ε used is reported. See
 * {@link io.github.editunit.framework.stats.CholeskySolver}.
 *
 * <p><b>Corpus hash.</b> The cache key's corpus hash is the SHA-256 of the token sequences
 * actually used (after sample selection, tokenisation and truncation), so a different corpus,
 * sample count, tokenizer or context length never reuses a stale file.
 */
package io.github.editunit.framework.stats;
