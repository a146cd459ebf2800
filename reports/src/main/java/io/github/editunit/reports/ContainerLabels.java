package io.github.editunit.reports;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Labels and parameters of engine containers (a case, a sequence), kept by JUnit unique id. When a
 * container fails before its checks run (the edit threw, the model did not load), the
 * allure-junit-platform listener writes a result for the container itself, after the container has
 * finished, so {@code Allure.label} calls made while it ran are lost; {@link ContainerResultLabelling}
 * adds these labels to that result instead. One entry per container of the run.
 */
public final class ContainerLabels {

    /** The label allure-junit-platform puts on every result it writes. */
    public static final String UNIQUE_ID_LABEL = "junit.platform.uniqueid";

    /** Labels and parameters of one container. */
    public record Entry(Map<String, String> labels, Map<String, String> parameters) {}

    private static final Map<String, Entry> BY_UNIQUE_ID = new ConcurrentHashMap<>();

    private ContainerLabels() {}

    public static void register(String uniqueId, Map<String, String> labels, Map<String, String> parameters) {
        BY_UNIQUE_ID.put(uniqueId, new Entry(copy(labels), copy(parameters)));
    }

    public static Optional<Entry> lookup(String uniqueId) {
        return uniqueId == null ? Optional.empty() : Optional.ofNullable(BY_UNIQUE_ID.get(uniqueId));
    }

    private static Map<String, String> copy(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> {
                if (k != null && v != null && !v.isBlank()) {
                    out.put(k, v);
                }
            });
        }
        return Map.copyOf(out);
    }
}
