package io.github.editunit.framework.metrics;

/**
 * Recall of a list of facts. All fields are NaN when there are no facts.
 *
 * @param facts  number of facts
 * @param top1   fraction whose first object token is the argmax after the prompt
 * @param exact  fraction whose whole object is reproduced by greedy decoding
 * @param pTrue  mean over facts of {@code P(o | q) = exp(Σ_t log P(o_t | q, o_<t))}
 */
public record FactRecallResult(int facts, double top1, double exact, double pTrue) {}
