package io.github.editunit.framework.stats;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run's statistics come from: published {@code .npz} files for some layers (imported into
 * the cache on first use), and for every other layer the corpus sample chosen by {@code sampling}.
 *
 * @param sampling how computed statistics choose their texts
 * @param published published file per 0-based layer
 */
public record StatsSources(StatsSampling sampling, Map<Integer, Path> published) {

    /** Computed from the first n texts, nothing published: EditUnit's behaviour before published files. */
    public static final StatsSources DEFAULT = new StatsSources(StatsSampling.FIRST, Map.of());

    /** The layer in ROME's module names: {@code transformer.h.17.mlp...}, {@code model.layers.5.mlp...}. */
    private static final Pattern LAYER_IN_NAME = Pattern.compile("(?:^|.*[._])(?:h|layers)\\.(\\d{1,4})\\.mlp[._].*");

    public StatsSources {
        published = Map.copyOf(new TreeMap<>(published));
    }

    /**
     * Parses {@code FILE} or {@code L=FILE}, comma-separated. Without {@code L=}, the layer is read from
     * ROME's file name ({@code transformer.h.17.mlp.c_proj_float32_mom2_100000.npz} → 17).
     *
     * @throws IllegalArgumentException naming the entry that cannot be mapped to a layer or is given twice
     */
    public static Map<Integer, Path> parsePublished(String spec) {
        Map<Integer, Path> out = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            int layer;
            Path file;
            if (eq > 0 && p.substring(0, eq).trim().matches("\\d{1,4}")) {
                layer = Integer.parseInt(p.substring(0, eq).trim());
                file = Path.of(p.substring(eq + 1).trim());
            } else {
                file = Path.of(p);
                Integer l = layerFromName(file);
                if (l == null) {
                    throw new IllegalArgumentException("statistics file '" + p + "': cannot tell its layer from the "
                            + "name (expected ROME's '...h.L.mlp...' or '...layers.L.mlp...'); write it as L=FILE");
                }
                layer = l;
            }
            if (out.put(layer, file) != null) {
                throw new IllegalArgumentException("statistics file for layer " + layer + " given twice in '" + spec + "'");
            }
        }
        return out;
    }

    /** The layer in a ROME statistics file name, or null. */
    public static Integer layerFromName(Path file) {
        Matcher m = LAYER_IN_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : null;
    }
}
