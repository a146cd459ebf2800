package io.github.editunit.framework.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A bit-exact copy of some named parameters, held in Java memory; restore it with {@link ParameterStore#restore}. */
public final class WeightSnapshot {

    private final Map<String, float[]> values;

    WeightSnapshot(Map<String, float[]> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, float[]> values() {
        return values;
    }

    public Set<String> names() {
        return values.keySet();
    }
}
