package io.github.editunit.engine.execution;

import io.github.editunit.framework.editing.ResolvedHyperparameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hyperparameters the editors of one model used, per method: which file (or shipped set) and what
 * it says of its own provenance. Each is printed once when first used ({@link #line}) and listed in the
 * Allure environment ({@link #environment}).
 */
final class UsedHyperparameters {

    /** Method → origin → source, origins in the order first used. */
    private final Map<String, Map<String, String>> byMethod = new TreeMap<>();

    /** Records what an editor of {@code hp.method()} used; true the first time this origin is seen for the method. */
    synchronized boolean add(ResolvedHyperparameters hp) {
        return byMethod.computeIfAbsent(hp.method(), m -> new LinkedHashMap<>()).putIfAbsent(hp.origin(), hp.source())
                == null;
    }

    /** {@code rome hyperparameters for MODEL: ORIGIN (SOURCE)}. */
    static String line(String model, ResolvedHyperparameters hp) {
        return hp.method() + " hyperparameters for " + model + ": " + hp.origin() + " (" + hp.source() + ")";
    }

    /**
     * {@code hparams.<method><suffix>} = the file or {@code catalog:NAME[/PROFILE]} and
     * {@code hparams.<method>.source<suffix>} = its provenance, per method used; two origins of one
     * method (suites with different settings) are listed in order, separated by {@code "; "}.
     */
    synchronized Map<String, String> environment(String suffix) {
        Map<String, String> env = new LinkedHashMap<>();
        byMethod.forEach((method, origins) -> {
            env.put("hparams." + method + suffix, String.join("; ", origins.keySet()));
            env.put("hparams." + method + ".source" + suffix, String.join("; ", origins.values()));
        });
        return env;
    }
}
