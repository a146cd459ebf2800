package io.github.editunit.framework.canary;

/**
 * The canaries measured on one model state.
 *
 * @param facts       number of canary facts
 * @param recall      fraction whose first target token is the model's top-1 after the prompt
 *                    (a non-finite output counts as a miss)
 * @param meanLogProb mean over facts of {@code Σ_t log P(o_t | q, o_<t)}; {@code -∞} when any fact's
 *                    log-probability is not finite (reported, never compared)
 * @param seconds     wall time of the measurement (one batched teacher-forced pass)
 */
public record CanaryMeasurement(int facts, double recall, double meanLogProb, double seconds) {}
