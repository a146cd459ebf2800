package io.github.editunit.framework.editing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.llama.LlamaSettings;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hyperparameter files per model and method: reference values for GPT-2 XL, GPT-J 6B, Llama-2 7B
 * and Llama-3 8B and tuned values for the bundled model ship as resources
 * ({@code hparams/<model>/<method>.json}, each value traced in the file's {@code _source});
 * a model directory may carry its own {@code editunit-hparams/<method>.json}; any file, or a
 * directory of such files, can be given explicitly; and every value can be overridden by name
 * ({@code v_lr=0.2}). {@link #resolve} also says which file (or shipped set) was used and what it
 * says of its own provenance.
 */
public final class HyperparameterCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/io/github/editunit/framework/hparams/";

    private HyperparameterCatalog() {}

    /**
     * What a {@code models.json} entry may state besides its {@code name}. An entry matches a
     * configuration when every criterion it states holds: {@code model_type} (exactly, so a
     * {@code mistral} or {@code qwen2} model never takes a {@code llama} entry), {@code n_layer},
     * {@code n_embd}, and where stated {@code n_inner} (MLP inner width), and for Llama-family
     * configurations {@code num_key_value_heads} and {@code rope_theta} (which tell Llama-2 7B from
     * Llama-3 8B, and both from Mistral 7B or Code Llama). {@code rope_scaling} and the vocabulary
     * are not criteria: Llama-3.1 8B has Llama-3 8B's shape and gets its files.
     */
    static final List<String> CRITERIA = List.of("model_type", "n_layer", "n_embd", "n_inner",
            "num_key_value_heads", "rope_theta");

    /** The names of the shipped hyperparameter sets, in {@code models.json} order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (JsonNode m : models()) {
            out.add(m.path("name").asText());
        }
        return out;
    }

    /**
     * The catalog name of a model ({@code gpt2-xl}, {@code llama-3-8b}, {@code editunit-tiny}, ...)
     * chosen by {@code model_type} and size (see {@link #CRITERIA}), or null when no entry matches.
     */
    public static String modelName(ModelConfig c) {
        String found = null;
        for (JsonNode m : models()) {
            if (matches(m, c)) {
                if (found != null) {
                    throw new IllegalStateException("hparams/models.json: entries " + found + " and "
                            + m.path("name").asText() + " both match " + describe(c));
                }
                found = m.path("name").asText();
            }
        }
        return found;
    }

    private static boolean matches(JsonNode m, ModelConfig c) {
        if (!m.path("model_type").asText().equalsIgnoreCase(c.modelType()) || m.path("n_layer").asInt() != c.layers()
                || m.path("n_embd").asInt() != c.width()) {
            return false;
        }
        if (m.has("n_inner") && m.get("n_inner").asInt() != c.innerWidth()) {
            return false;
        }
        if (m.has("num_key_value_heads") || m.has("rope_theta")) {
            if (!(c.family() instanceof LlamaSettings s)) {
                return false;
            }
            if (m.has("num_key_value_heads") && m.get("num_key_value_heads").asInt() != s.kvHeads()) {
                return false;
            }
            if (m.has("rope_theta") && m.get("rope_theta").asDouble() != s.ropeTheta()) {
                return false;
            }
        }
        return true;
    }

    /** {@code models.json}, checked: every entry has a name and the required criteria, and states no other key. */
    private static JsonNode models() {
        JsonNode models = resource("models.json");
        for (JsonNode m : models) {
            for (String required : List.of("name", "model_type", "n_layer", "n_embd")) {
                if (!m.hasNonNull(required)) {
                    throw new IllegalStateException("hparams/models.json: entry " + m + " has no \"" + required + "\"");
                }
            }
            m.fieldNames().forEachRemaining(k -> {
                if (!k.equals("name") && !CRITERIA.contains(k)) {
                    throw new IllegalStateException("hparams/models.json: entry " + m.path("name").asText()
                            + " states \"" + k + "\", which is not a criterion (known: " + CRITERIA + ")");
                }
            });
        }
        return models;
    }

    /** What the catalog looks up for a configuration, in the terms of {@code models.json}. */
    static String describe(ModelConfig c) {
        StringBuilder b = new StringBuilder().append(c.modelType()).append(", ").append(c.layers())
                .append(" layers, width ").append(c.width()).append(", inner ").append(c.innerWidth());
        if (c.family() instanceof LlamaSettings s) {
            b.append(", kv heads ").append(s.kvHeads()).append(", rope_theta ").append(number(s.ropeTheta()));
        }
        return b.toString();
    }

    private static String describe(JsonNode m) {
        StringBuilder b = new StringBuilder().append(m.path("name").asText()).append(" (")
                .append(m.path("model_type").asText()).append(", ").append(m.path("n_layer").asInt())
                .append(" layers, width ").append(m.path("n_embd").asInt());
        if (m.has("n_inner")) {
            b.append(", inner ").append(m.get("n_inner").asInt());
        }
        if (m.has("num_key_value_heads")) {
            b.append(", kv heads ").append(m.get("num_key_value_heads").asInt());
        }
        if (m.has("rope_theta")) {
            b.append(", rope_theta ").append(number(m.get("rope_theta").asDouble()));
        }
        return b.append(')').toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * File name of a method's hyperparameters: c-rome and p-rome share rome.json; ft (unconstrained FT,
     * its own method with its own layers) reads ft.json, ft-l (constrained) ft-l.json.
     */
    static String fileOf(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (m.endsWith("rome")) {
            return "rome.json";
        }
        return m + ".json";
    }

    /**
     * The overrides key that selects a profile of the shipped sets instead of setting a value:
     * {@code profile=reference} (the default: {@code hparams/<name>/<method>.json}) or
     * {@code profile=seed} ({@code hparams/<name>/seed/<method>.json}, the seed repository's yaml
     * values and recipes). {@code --profile} and {@code hardedit.hparams.profile} set it.
     */
    public static final String PROFILE = "profile";

    /** The profiles a shipped set may have; {@code reference} is the default. */
    public static final List<String> PROFILES = List.of("reference", "seed");

    /** The profiles shipped for a catalog name: always {@code reference}, and {@code seed} where a seed directory exists. */
    public static List<String> profiles(String catalogName) {
        List<String> out = new ArrayList<>(List.of("reference"));
        if (HyperparameterCatalog.class.getResource(ROOT + catalogName + "/seed/rome.json") != null) {
            out.add("seed");
        }
        return out;
    }

    /** The profile named in {@code overrides} (null: none named), checked against {@link #PROFILES}. */
    private static String profileOf(Map<String, String> overrides) {
        if (overrides == null || !overrides.containsKey(PROFILE)) {
            return null;
        }
        String p = overrides.get(PROFILE).trim().toLowerCase(Locale.ROOT);
        if (!PROFILES.contains(p)) {
            throw new IllegalArgumentException("unknown hyperparameter profile \"" + overrides.get(PROFILE)
                    + "\" (known: " + String.join(", ", PROFILES) + ")");
        }
        return p;
    }

    /** The resource of a shipped set in a profile; a profile the set does not ship is an error naming those it does. */
    private static ObjectNode shipped(String name, String profile, String method) {
        String dir = profile == null || profile.equals("reference") ? name + "/" : name + "/" + profile + "/";
        if (!profile(name, profile)) {
            throw new IllegalArgumentException("the shipped hyperparameters " + name + " have no \"" + profile
                    + "\" profile (it has: " + String.join(", ", profiles(name)) + ")");
        }
        return (ObjectNode) resource(dir + fileOf(method));
    }

    private static boolean profile(String name, String profile) {
        return profile == null || profiles(name).contains(profile);
    }

    /**
     * Loads the hyperparameters of {@code method} for a model: explicit file first, then the model
     * directory's {@code editunit-hparams/}, then the catalog entry of the model's configuration
     * ({@link #modelName}). The values of {@link #resolve}.
     */
    public static ObjectNode load(String method, ModelConfig config, Path modelDir, Path explicitFile,
            Map<String, String> overrides) {
        return resolve(method, config, modelDir, explicitFile, overrides).node();
    }

    /**
     * Resolves the hyperparameters of {@code method} for a model as {@link #load} does, and says where
     * they came from: the explicit file (a directory stands for its file of the method,
     * {@link #fileInDirectory}), else the model directory's {@code editunit-hparams/}, else the catalog
     * entry of the model's configuration ({@link #modelName}).
     *
     * @param explicit a hyperparameter file or directory, or null
     * @throws IllegalArgumentException when {@code explicit} is a directory without the method's file
     *     ({@link #missingInDirectory}), and for the other errors of {@link #load}
     */
    public static ResolvedHyperparameters resolve(String method, ModelConfig config, Path modelDir, Path explicit,
            Map<String, String> overrides) {
        Found f = find(method, config, modelDir, explicit, profileOf(overrides));
        return new ResolvedHyperparameters(method, finish(method, f.node(), overrides), f.origin(), f.source());
    }

    /**
     * The hyperparameter file {@link #load} would use, as written: no overrides applied, nothing derived from
     * the method (per-mode {@code test_prefix} objects and {@code key_mode} as in the file). {@code editunit tune}
     * starts from it and writes it back with its settings.
     */
    public static ObjectNode raw(String method, ModelConfig config, Path modelDir, Path explicit, String profile) {
        return find(method, config, modelDir, explicit, profile).node();
    }

    /** A file found for a method, before overrides and per-method adjustments, with its origin and source. */
    private record Found(ObjectNode node, String origin, String source) {}

    private static Found find(String method, ModelConfig config, Path modelDir, Path explicit, String profile) {
        Path inModel = modelDir == null ? null : modelFile(modelDir, method);
        if (explicit != null || inModel != null) {
            Path file = explicit != null ? explicitFile(explicit, method) : inModel;
            if (profile != null) {
                throw new IllegalArgumentException("profile=" + profile + " selects a shipped hyperparameter set, but "
                        + method + " reads " + file + (explicit != null ? " (--hparams / hardedit.hparams)"
                        : " (the model's editunit-hparams/)") + "; drop one of the two");
            }
            ObjectNode node = readObject(file, method);
            return new Found(node, file.toAbsolutePath().normalize().toString(), ResolvedHyperparameters.sourceOf(node));
        }
        String name = modelName(config);
        if (name == null) {
            List<String> known = new ArrayList<>();
            for (JsonNode m : models()) {
                known.add(describe(m));
            }
            throw new IllegalArgumentException("no " + method + " hyperparameters for this model ("
                    + describe(config) + "): pass a file with --hparams or put one in <model>/editunit-hparams/"
                    + fileOf(method) + "; the shipped files are starting points, matched on model_type and size: "
                    + String.join(", ", known));
        }
        ObjectNode node = shipped(name, profile, method);
        String origin = "catalog:" + name + (profile == null || profile.equals("reference") ? "" : "/" + profile);
        return new Found(node, origin, ResolvedHyperparameters.sourceOf(node));
    }

    /** An explicit file as it is; a directory: its file of the method, which must exist. */
    private static Path explicitFile(Path explicit, String method) {
        if (!Files.isDirectory(explicit)) {
            return explicit;
        }
        Path file = fileInDirectory(explicit, method);
        if (file == null) {
            throw new IllegalArgumentException(missingInDirectory(explicit, method));
        }
        return file;
    }

    /**
     * The file of {@code method} in a directory of hyperparameter files, named as in a model's
     * {@code editunit-hparams/} ({@link #modelFile}: c-rome and p-rome read {@code rome.json}, ft falls
     * back to {@code ft-l.json}); a model directory that has an {@code editunit-hparams/} stands for it.
     * Null: the directory has no file for the method.
     */
    public static Path fileInDirectory(Path dir, String method) {
        return fileIn(hyperparameterDirectory(dir), method);
    }

    /**
     * Why {@link #fileInDirectory} found nothing: names the directory searched, the method and the
     * file it expected there.
     */
    public static String missingInDirectory(Path dir, String method) {
        Path searched = hyperparameterDirectory(dir).toAbsolutePath().normalize();
        String m = method.toLowerCase(Locale.ROOT);
        return "hyperparameter directory " + searched + " has no " + fileOf(m) + " for method " + m
                + (m.equals("ft") ? " (nor ft-l.json)" : "") + ": expected " + searched.resolve(fileOf(m));
    }

    /** {@code dir/editunit-hparams} when {@code dir} is a model directory that has one, else {@code dir}. */
    private static Path hyperparameterDirectory(Path dir) {
        Path inModel = dir.resolve("editunit-hparams");
        return Files.isDirectory(inModel) ? inModel : dir;
    }

    /**
     * The model directory's file for a method: {@code editunit-hparams/<method>.json}; for {@code ft}, whose
     * own file is newer, {@code ft-l.json} when there is no {@code ft.json} (its ε is dropped). Null: none.
     */
    private static Path modelFile(Path modelDir, String method) {
        return fileIn(modelDir.resolve("editunit-hparams"), method);
    }

    /** {@code dir/<method's file>}, or {@code dir/ft-l.json} for ft without {@code ft.json}; null: neither. */
    private static Path fileIn(Path dir, String method) {
        if (Files.isRegularFile(dir.resolve(fileOf(method)))) {
            return dir.resolve(fileOf(method));
        }
        if (method.equalsIgnoreCase("ft") && Files.isRegularFile(dir.resolve("ft-l.json"))) {
            return dir.resolve("ft-l.json");
        }
        return null;
    }

    /**
     * Loads the shipped hyperparameters of {@code method} by catalog name ({@code llama-2-7b}, ...;
     * see {@link #names()}), whatever the model, then applies {@code overrides} as {@link #load} does
     * (including a {@link #PROFILE} choice).
     */
    public static ObjectNode load(String method, String catalogName, Map<String, String> overrides) {
        if (!names().contains(catalogName)) {
            throw new IllegalArgumentException("no shipped hyperparameters named \"" + catalogName + "\" (known: "
                    + String.join(", ", names()) + ")");
        }
        return finish(method, shipped(catalogName, profileOf(overrides), method), overrides);
    }

    /**
     * Applies the overrides (all but {@link #PROFILE}) and the method's rules: c-rome uses consistent keys and
     * p-rome the bare prompt's key whatever the file says; ft is unconstrained (ε 0) whatever its file says;
     * a per-method {@code test_prefix} object ({@code {"rome": false, "c-rome": true, "p-rome": false}}) is
     * resolved to the value of the method run (a missing method: false), a boolean applies to every mode.
     */
    private static ObjectNode finish(String method, ObjectNode node, Map<String, String> overrides) {
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (!k.equals(PROFILE)) {
                    node.set(k, parse(v));
                }
            });
        }
        String m = method.toLowerCase(Locale.ROOT);
        if (m.equals("c-rome")) {
            node.put("key_mode", "consistent");
        } else if (m.equals("p-rome")) {
            node.put("key_mode", "prompt-only");
        } else if (m.equals("ft")) {
            node.put("norm_constraint", 0);
        }
        JsonNode prefix = node.get("test_prefix");
        if (m.endsWith("rome") && prefix != null && prefix.isObject()) {
            prefix.fieldNames().forEachRemaining(k -> {
                if (!k.equals("rome") && !k.equals("c-rome") && !k.equals("p-rome")) {
                    throw new IllegalArgumentException("test_prefix: \"" + k + "\" is not a ROME mode (rome, c-rome, p-rome)");
                }
            });
            JsonNode own = prefix.get(m);
            if (own != null && !own.isBoolean()) {
                throw new IllegalArgumentException("test_prefix." + m + " must be true or false, not " + own);
            }
            node.put("test_prefix", own != null && own.asBoolean());
        }
        return node;
    }

    /**
     * Reads a hyperparameter file, which must hold one JSON object; a file that is not is an
     * {@link IllegalArgumentException} naming it (and the line and column of a syntax error).
     */
    private static ObjectNode readObject(Path file, String method) {
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": " + method + " hyperparameters are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            throw new IllegalArgumentException(file + ": " + method + " hyperparameters are not JSON text: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + method + " hyperparameters from " + file + ": "
                    + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException(file + ": " + method + " hyperparameters must be a JSON object of"
                    + " name → value, but the file holds " + (node == null || node.isMissingNode() ? "nothing"
                    : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return object;
    }

    public static <T> T bind(ObjectNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid hyperparameters for " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** An override value as the catalog applies it: JSON when it parses ({@code 10}, {@code [0,1]}, {@code true}), else text. */
    public static JsonNode overrideValue(String v) {
        return parse(v);
    }

    /** The file a method's hyperparameters live in: {@code rome.json} for ROME, C-ROME and p-ROME, else {@code <method>.json}. */
    public static String fileName(String method) {
        return fileOf(method);
    }

    private static JsonNode parse(String v) {
        try {
            return JSON.readTree(v);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(v);
        }
    }

    private static JsonNode resource(String path) {
        try (InputStream in = HyperparameterCatalog.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no hyperparameter resource " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
