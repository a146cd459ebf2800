package io.github.editunit.framework.tracing;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Causal traces averaged over cases: per site, role and layer the average indirect effect (restored probability
 * minus corrupted probability, averaged first over a case's positions with that role, then over the cases that
 * have such a position), the mean clean and corrupted probabilities, and where each site peaks.
 */
public final class TraceSummary {

    private final int layers;
    private final List<CaseTrace> traces;
    private final Map<TraceSite, double[][]> effects = new EnumMap<>(TraceSite.class);
    private final int[] casesWithRole = new int[TokenRole.values().length];

    public TraceSummary(int layers, List<CaseTrace> traces) {
        this.layers = layers;
        this.traces = List.copyOf(traces);
        for (CaseTrace c : traces) {
            for (TokenRole r : TokenRole.values()) {
                if (!Double.isNaN(c.effect(TraceSite.HIDDEN, 0, r))) {
                    casesWithRole[r.ordinal()]++;
                }
            }
        }
        for (TraceSite site : TraceSite.values()) {
            double[][] e = new double[TokenRole.values().length][layers];
            for (TokenRole r : TokenRole.values()) {
                for (int l = 0; l < layers; l++) {
                    double sum = 0;
                    int n = 0;
                    for (CaseTrace c : traces) {
                        double v = c.effect(site, l, r);
                        if (!Double.isNaN(v)) {
                            sum += v;
                            n++;
                        }
                    }
                    e[r.ordinal()][l] = n == 0 ? Double.NaN : sum / n;
                }
            }
            effects.put(site, e);
        }
    }

    public int layers() {
        return layers;
    }

    public List<CaseTrace> traces() {
        return traces;
    }

    /** Average indirect effect of restoring {@code site} at {@code layer} on positions with {@code role}; NaN when no case has one. */
    public double effect(TraceSite site, TokenRole role, int layer) {
        return effects.get(site)[role.ordinal()][layer];
    }

    /** How many cases have at least one position with this role. */
    public int casesWith(TokenRole role) {
        return casesWithRole[role.ordinal()];
    }

    public double meanClean() {
        return traces.stream().mapToDouble(CaseTrace::pClean).average().orElse(Double.NaN);
    }

    public double meanCorrupted() {
        return traces.stream().mapToDouble(CaseTrace::pCorrupted).average().orElse(Double.NaN);
    }

    /** The layer where restoring {@code site} at the {@code role} positions helps most; -1 when no case has the role. */
    public int peakLayer(TraceSite site, TokenRole role) {
        int best = -1;
        for (int l = 0; l < layers; l++) {
            double v = effect(site, role, l);
            if (!Double.isNaN(v) && (best < 0 || v > effect(site, role, best))) {
                best = l;
            }
        }
        return best;
    }
}
