package io.github.editunit.framework.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The small, documented space {@code editunit tune} searches, per method family (docs/tuning.md#tune):
 * every dimension lists the values tried, and always includes the starting file's own value.
 *
 * <ul>
 *   <li>ROME, C-ROME, p-ROME: {@code layer} (the causal trace's MLP peak and its neighbours),
 *       {@code clamp_norm_factor} 4/10/20, {@code v_num_grad_steps} 20/40, {@code v_lr} 0.1/0.5,
 *       {@code v_weight_decay} 0.1/0.5, {@code kl_factor} 0.0625/0.25.</li>
 *   <li>MEMIT: {@code layers} (one or two layers at and around the peak), {@code mom2_update_weight} (λ)
 *       100/1000/10000, {@code rounds} 1/3, {@code clamp_norm_factor} 4/10, {@code v_num_grad_steps} 20/40.</li>
 *   <li>FT-L: {@code layers} (the peak and its neighbours), {@code lr} 1e-3/5e-3/1e-2,
 *       {@code norm_constraint} 5e-3/1e-2/5e-2, {@code num_steps} 25/50.</li>
 * </ul>
 *
 * @param dimensions in search order; each value is a JSON literal as {@code --set key=value} takes it
 */
public record SearchSpace(Map<String, List<String>> dimensions) {

    /**
     * @param method     the method
     * @param layers     the model's layer count
     * @param peak       the layer to centre layer candidates on (the trace's MLP peak), or -1 for the start file's
     * @param start      the starting hyperparameters (their values join every dimension)
     */
    public static SearchSpace forMethod(String method, int layers, int peak, ObjectNode start) {
        String m = method.toLowerCase(Locale.ROOT);
        Map<String, List<String>> d = new LinkedHashMap<>();
        if (m.endsWith("rome")) {
            int centre = peak >= 0 ? peak : start.path("layer").asInt(0);
            d.put("layer", around(centre, layers));
            d.put("clamp_norm_factor", List.of("4", "10", "20"));
            d.put("v_num_grad_steps", List.of("20", "40"));
            d.put("v_lr", List.of("0.1", "0.5"));
            d.put("v_weight_decay", List.of("0.1", "0.5"));
            d.put("kl_factor", List.of("0.0625", "0.25"));
        } else if (m.equals("memit")) {
            int centre = peak >= 0 ? peak : lastLayer(start.path("layers"), 0);
            List<String> ranges = new ArrayList<>();
            ranges.add("[" + centre + "]");
            if (centre + 1 < layers) {
                ranges.add("[" + centre + "," + (centre + 1) + "]");
            }
            if (centre > 0) {
                ranges.add("[" + (centre - 1) + "," + centre + "]");
            }
            d.put("layers", ranges);
            d.put("mom2_update_weight", List.of("100", "1000", "10000"));
            d.put("rounds", List.of("1", "3"));
            d.put("clamp_norm_factor", List.of("4", "10"));
            d.put("v_num_grad_steps", List.of("20", "40"));
        } else if (m.equals("ft-l") || m.equals("ft")) {
            int centre = peak >= 0 ? peak : lastLayer(start.path("layers"), 0);
            d.put("layers", around(centre, layers).stream().map(l -> "[" + l + "]").toList());
            d.put("lr", List.of("0.001", "0.005", "0.01"));
            d.put("norm_constraint", List.of("0.005", "0.01", "0.05"));
            d.put("num_steps", List.of("25", "50"));
        } else {
            throw new IllegalArgumentException("no search space for method " + method);
        }
        // the starting file's own value is always a candidate (and the first, so ties keep it)
        Map<String, List<String>> out = new LinkedHashMap<>();
        d.forEach((k, values) -> {
            Set<String> v = new LinkedHashSet<>();
            JsonNode own = start.get(k);
            // a start value for a layer this model does not have (a GPT-2 XL file on a 4-layer model) is no candidate
            if (own != null && !own.isNull() && fits(k, own, layers)) {
                v.add(literal(own));
            }
            values.forEach(x -> v.add(literal(io.github.editunit.framework.editing.HyperparameterCatalog.overrideValue(x))));
            out.put(k, List.copyOf(v));
        });
        return new SearchSpace(out);
    }

    private static boolean fits(String key, JsonNode value, int layers) {
        if (key.equals("layer")) {
            return value.asInt(-1) >= 0 && value.asInt() < layers;
        }
        if (key.equals("layers")) {
            if (!value.isArray() || value.isEmpty()) {
                return false;
            }
            for (JsonNode l : value) {
                if (l.asInt(-1) < 0 || l.asInt() >= layers) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The canonical JSON literal of a value, so 10 and 10.0, [0, 1] and [0,1] count once. */
    static String literal(JsonNode v) {
        if (v.isNumber()) {
            double d = v.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        return v.toString();
    }

    private static List<String> around(int centre, int layers) {
        List<String> out = new ArrayList<>();
        for (int l = centre - 1; l <= centre + 1; l++) {
            if (l >= 0 && l < layers) {
                out.add(Integer.toString(l));
            }
        }
        return out;
    }

    private static int lastLayer(JsonNode layers, int otherwise) {
        return layers.isArray() && layers.size() > 0 ? layers.get(layers.size() - 1).asInt() : otherwise;
    }

    /** Trials a one-pass coordinate search makes at most: the start, then every other value of every dimension. */
    public int maxTrials() {
        int n = 1;
        for (List<String> v : dimensions.values()) {
            n += v.size() - 1;
        }
        return n;
    }
}
