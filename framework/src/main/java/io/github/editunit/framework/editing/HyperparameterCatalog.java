package io.github.editunit.framework.editing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.ModelConfig;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Hyperparameter files per model and method: reference values for GPT-2 XL and GPT-J-6B and
 * tuned values for the bundled model ship as resources ({@code hparams/<model>/<method>.json});
 * a model directory may carry its own {@code editunit-hparams/<method>.json}; any file can be
 * given explicitly; and every value can be overridden by name ({@code v_lr=0.2}).
 */
public final class HyperparameterCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "/io/github/editunit/framework/hparams/";

    private HyperparameterCatalog() {}

    /** The catalog name of a model ({@code gpt2-xl}, {@code editunit-tiny}, ...) or null. */
    public static String modelName(ModelConfig c) {
        JsonNode models = resource("models.json");
        for (JsonNode m : models) {
            if (m.path("model_type").asText().equalsIgnoreCase(c.modelType()) && m.path("n_layer").asInt() == c.layers()
                    && m.path("n_embd").asInt() == c.width()) {
                return m.path("name").asText();
            }
        }
        return null;
    }

    /** File name of a method's hyperparameters: c-rome and p-rome share rome.json. */
    static String fileOf(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (m.endsWith("rome")) {
            return "rome.json";
        }
        if (m.equals("ft")) {
            return "ft-l.json";
        }
        return m + ".json";
    }

    /**
     * Loads the hyperparameters of {@code method} for a model: explicit file first, then the model
     * directory's {@code editunit-hparams/}, then the catalog entry of the model's configuration.
     */
    public static ObjectNode load(String method, ModelConfig config, Path modelDir, Path explicitFile,
            Map<String, String> overrides) {
        ObjectNode node;
        if (explicitFile != null) {
            node = readObject(explicitFile, method);
        } else if (modelDir != null && Files.isRegularFile(modelDir.resolve("editunit-hparams").resolve(fileOf(method)))) {
            node = readObject(modelDir.resolve("editunit-hparams").resolve(fileOf(method)), method);
        } else {
            String name = modelName(config);
            if (name == null) {
                throw new IllegalArgumentException("no " + method + " hyperparameters for this model (" + config.modelType()
                        + ", " + config.layers() + " layers, width " + config.width() + "): pass a file with "
                        + "--hparams or put one in <model>/editunit-hparams/" + fileOf(method)
                        + "; the shipped files for gpt2-xl and gpt-j-6b are starting points");
            }
            node = (ObjectNode) resource(name + "/" + fileOf(method));
        }
        if (overrides != null) {
            overrides.forEach((k, v) -> node.set(k, parse(v)));
        }
        if (method.equalsIgnoreCase("c-rome")) {
            node.put("key_mode", "consistent");
            if (overrides == null || !overrides.containsKey("test_prefix")) {
                node.put("test_prefix", true);
            }
        } else if (method.equalsIgnoreCase("p-rome")) {
            node.put("key_mode", "prompt-only");
        } else if (method.equalsIgnoreCase("ft")) {
            node.put("norm_constraint", 0);
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
