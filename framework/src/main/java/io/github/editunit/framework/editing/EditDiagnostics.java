package io.github.editunit.framework.editing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an edit did, for people tuning and debugging: named scalar values (for ROME the
 * numerator ‖v* − Wk‖, the denominator, the prefixed/unprefixed key cosine, ‖ΔW‖/‖W‖), the
 * loss trajectory of each optimisation, per-layer update norms, and warnings such as a
 * collapse-prone pre-check.
 */
public final class EditDiagnostics {

    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, List<Double>> lossTrajectories = new LinkedHashMap<>();
    private final Map<Integer, Double> layerUpdateNorms = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Boolean bos;
    private String bosToken;

    public EditDiagnostics put(String name, double value) {
        values.put(name, value);
        return this;
    }

    public EditDiagnostics lossTrajectory(String name, List<Double> losses) {
        lossTrajectories.put(name, List.copyOf(losses));
        return this;
    }

    public EditDiagnostics layerUpdateNorm(int layer, double norm) {
        layerUpdateNorms.merge(layer, norm, (a, b) -> Math.sqrt(a * a + b * b));
        return this;
    }

    /**
     * Records whether the edit's model inputs started with a BOS and which ({@code "bos"},
     * {@code "bosToken"} in {@link #toMap()}); every position in these diagnostics counts it.
     */
    public EditDiagnostics bos(boolean added, String token) {
        this.bos = added;
        this.bosToken = added ? token : null;
        return this;
    }

    /** Whether the model inputs started with a BOS, or null when not recorded. */
    public Boolean bos() {
        return bos;
    }

    public EditDiagnostics warn(String warning) {
        warnings.add(warning);
        return this;
    }

    /** Merges another diagnostics object, prefixing its names. */
    public EditDiagnostics merge(String prefix, EditDiagnostics other) {
        other.values.forEach((k, v) -> values.put(prefix + k, v));
        other.lossTrajectories.forEach((k, v) -> lossTrajectories.put(prefix + k, v));
        other.layerUpdateNorms.forEach(this::layerUpdateNorm);
        warnings.addAll(other.warnings);
        return this;
    }

    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    public Double value(String name) {
        return values.get(name);
    }

    public Map<String, List<Double>> lossTrajectories() {
        return Collections.unmodifiableMap(lossTrajectories);
    }

    public Map<Integer, Double> layerUpdateNorms() {
        return Collections.unmodifiableMap(layerUpdateNorms);
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Whether the pre-check flagged the edit as likely to collapse the model. */
    public boolean collapseProne() {
        return values.getOrDefault("collapseProne", 0.0) > 0;
    }

    /** A plain map for JSON output. */
    public Map<String, Object> toMap() {
        return toMapFor(null, java.util.Set.of());
    }

    /**
     * The plain map one request of a batch reports: batch-level values, plus only its own per-request
     * entries (named {@code <id>.…} or {@code roundN.<id>.…}); the other requests' entries are left out.
     */
    public Map<String, Object> toMapFor(String requestId, java.util.Set<String> batchIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (belongs(k, requestId, batchIds)) {
                m.put(k, Double.isFinite(v) ? v : null);
            }
        });
        m.put("layerUpdateNorms", layerUpdateNorms);
        Map<String, List<Double>> own = new LinkedHashMap<>();
        lossTrajectories.forEach((k, v) -> {
            if (belongs(k, requestId, batchIds)) {
                own.put(k, v);
            }
        });
        m.put("lossTrajectories", own);
        m.put("warnings", warnings);
        if (bos != null) {
            m.put("bos", bos);
            m.put("bosToken", bosToken);
        }
        return m;
    }

    private static boolean belongs(String key, String requestId, java.util.Set<String> batchIds) {
        if (batchIds.isEmpty()) {
            return true;
        }
        String rest = key.matches("round\\d+\\..*") ? key.substring(key.indexOf('.') + 1) : key;
        for (String id : batchIds) {
            if (rest.startsWith(id + ".")) {
                return id.equals(requestId);
            }
        }
        return true;
    }
}
