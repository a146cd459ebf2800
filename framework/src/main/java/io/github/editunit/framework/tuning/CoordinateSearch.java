package io.github.editunit.framework.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass of coordinate search: measure the starting setting, then for each dimension in order try its other
 * values with the rest held at the best so far, and keep a value only if it scores strictly higher and is
 * admissible (perplexity moved past the limit on at most {@code maxOverShare} of the edits). A setting that is
 * not admissible never becomes best, even when it scores higher. Stops early when the budget (trials or time)
 * is spent; what was measured so far still decides.
 */
public final class CoordinateSearch {

    /** Called after every trial with (trial number, at most this many trials, the result, whether it became best). */
    public interface Listener {
        void trial(int number, int maxTrials, TrialResult result, boolean best);
    }

    /** The trials run, the best setting and why the search stopped. */
    public record Outcome(List<TrialResult> trials, TrialResult best, String stopped) {}

    private final SearchSpace space;
    private final Function<Map<String, String>, TrialResult> measure;
    private final double maxOverShare;
    private final int maxTrials;
    private final long deadlineNanos;

    /**
     * @param measure       runs one setting on the tuning cases
     * @param maxTrials     at most this many trials (0 = the space's size)
     * @param deadlineNanos {@link System#nanoTime()} after which no new trial starts, or {@link Long#MAX_VALUE}
     */
    public CoordinateSearch(SearchSpace space, Function<Map<String, String>, TrialResult> measure, double maxOverShare,
            int maxTrials, long deadlineNanos) {
        this.space = space;
        this.measure = measure;
        this.maxOverShare = maxOverShare;
        this.maxTrials = maxTrials > 0 ? Math.min(maxTrials, space.maxTrials()) : space.maxTrials();
        this.deadlineNanos = deadlineNanos;
    }

    public Outcome run(Listener listener) {
        List<TrialResult> trials = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        space.dimensions().forEach((k, v) -> current.put(k, v.get(0)));
        TrialResult best = measure.apply(current);
        trials.add(best);
        listener.trial(1, maxTrials, best, true);
        boolean bestAdmissible = best.admissible(maxOverShare);
        for (Map.Entry<String, List<String>> dim : space.dimensions().entrySet()) {
            for (String value : dim.getValue().subList(1, dim.getValue().size())) {
                if (trials.size() >= maxTrials) {
                    return new Outcome(trials, best, "trial budget (" + maxTrials + ") spent");
                }
                if (System.nanoTime() > deadlineNanos) {
                    return new Outcome(trials, best, "time budget spent after " + trials.size() + " trials");
                }
                Map<String, String> candidate = new LinkedHashMap<>(best.settings());
                candidate.put(dim.getKey(), value);
                TrialResult r = measure.apply(candidate);
                trials.add(r);
                boolean better = r.admissible(maxOverShare) && (!bestAdmissible || r.score() > best.score());
                if (better) {
                    best = r;
                    bestAdmissible = true;
                }
                listener.trial(trials.size(), maxTrials, r, better);
            }
        }
        return new Outcome(trials, best, "search space covered");
    }
}
