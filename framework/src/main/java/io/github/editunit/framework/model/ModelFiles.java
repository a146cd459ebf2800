package io.github.editunit.framework.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.safetensors.CheckpointFiles;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import io.github.editunit.framework.safetensors.TensorSource;
import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads and saves models in the Hugging Face directory layout: {@code config.json},
 * {@code model.safetensors} (or a sharded index) and {@code tokenizer.json}. The same loader
 * reads the bundled tiny model and users' real checkpoints (GPT-2 XL, ...). A directory with a
 * {@link ModelManifest} (written last by {@code train}, {@code train-tiny} and the bundled-model
 * extraction) is checked against it first, so a missing, truncated or altered file is named.
 */
public final class ModelFiles {

    /** Tokenizer files copied along when a model is saved next to its source. */
    public static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json");

    private ModelFiles() {}

    /** Loads a model directory on the CPU. */
    public static LanguageModel load(Path dir) throws IOException {
        return load(dir, Device.cpu());
    }

    /**
     * Loads a model directory. Every tensor is checked against the architecture's expected
     * shape and for NaN or infinite values; errors name the file and the tensor. Half-precision
     * checkpoints are converted to float32 on load.
     */
    public static LanguageModel load(Path dir, Device device) throws IOException {
        DjlRuntime.prepare();
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": model directory not found");
        }
        ModelManifest.verify(dir, ModelFiles::verifiedOnLoad);
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(configFile + ": missing; a Hugging Face model directory needs config.json");
        }
        ModelConfig config = ModelConfig.read(configFile);
        Architecture arch = Architectures.forConfig(config);
        ParameterStore store = new ParameterStore(NDManager.newBaseManager(device));
        try {
            readWeights(dir, arch, store);
            TextTokenizer tokenizer = hasTokenizer(dir) ? TextTokenizer.load(dir) : null;
            if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
                tokenizer.close();
                throw new IOException(dir.resolve("tokenizer.json") + ": tokenizer has " + tokenizer.vocabSize()
                        + " tokens but config.json says vocab_size " + config.vocabSize());
            }
            return new LanguageModel(arch, store, tokenizer);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Files of a directory with a {@link ModelManifest} that are checked on every load: all but
     * documentation ({@code *.md}, e.g. a model card one may edit).
     */
    static boolean verifiedOnLoad(String relativePath) {
        return !relativePath.endsWith(".md");
    }

    static boolean hasTokenizer(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json"))
                || (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt")));
    }

    private static void readWeights(Path dir, Architecture arch, ParameterStore store) throws IOException {
        Map<String, Shape> expected = arch.parameterShapes();
        Path checkpoint = CheckpointFiles.locate(dir);
        String file = checkpoint.getFileName().toString();
        List<String> unknown = new ArrayList<>();
        try (TensorSource src = CheckpointFiles.open(dir)) {
            for (String name : src.tensorNames()) {
                if (arch.isIgnoredTensor(name)) {
                    continue;
                }
                String canonical = arch.canonicalName(name).orElse(null);
                if (canonical == null) {
                    unknown.add(name);
                    continue;
                }
                Shape want = expected.get(canonical);
                Shape got = new Shape(src.info(name).shape());
                if (!want.equals(got)) {
                    throw new IOException(file + ": tensor \"" + name + "\" has shape " + got + " but config.json ("
                            + arch.name() + ", " + describe(arch.config()) + ") needs " + want);
                }
                NDArray array = src.toNDArray(name, store.manager());
                store.put(canonical, array);
                if (!allFinite(array)) {
                    throw new IOException(file + ": tensor \"" + name + "\" contains NaN or infinite values; "
                            + "refusing to load a corrupt model");
                }
            }
        }
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(store.names());
        if (!missing.isEmpty()) {
            throw new IOException(file + ": missing " + missing.size() + " tensor(s) the " + arch.name()
                    + " architecture needs, e.g. \"" + missing.iterator().next() + "\"");
        }
        if (!unknown.isEmpty()) {
            throw new IOException(file + ": " + unknown.size() + " tensor(s) not part of the " + arch.name()
                    + " architecture, e.g. \"" + unknown.get(0) + "\"; is config.json model_type right?");
        }
    }

    private static boolean allFinite(NDArray a) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return !a.isNaN().logicalOr(a.isInfinite()).any().getBoolean();
        }
    }

    private static String describe(ModelConfig c) {
        return "n_layer " + c.layers() + ", n_embd " + c.width() + ", vocab_size " + c.vocabSize();
    }

    /** Loads a base model and applies patches written by {@link WeightPatch}, in order. */
    public static LanguageModel load(Path dir, Device device, java.util.List<Path> patches) throws IOException {
        LanguageModel m = load(dir, device);
        try {
            for (Path p : patches) {
                WeightPatch.apply(m, p);
            }
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Saves config and weights (float32) to {@code dir}, atomically per file, in the Hugging
     * Face layout; tokenizer files are copied from {@code tokenizerSource} when given. To write a
     * whole directory that never looks complete before it is, save into a
     * {@link io.github.editunit.framework.storage.StagedDirectory}.
     */
    public static void save(LanguageModel model, Path dir, Map<String, String> metadata, Path tokenizerSource)
            throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter w = new SafetensorsWriter();
        w.putMetadata("format", "pt");
        if (metadata != null) {
            w.putMetadata(metadata);
        }
        ParameterStore p = model.parameters();
        for (String name : model.architecture().parameterShapes().keySet()) {
            w.add(name, p.get(name), DType.F32);
        }
        w.write(dir.resolve(CheckpointFiles.SINGLE_FILE));
        AtomicFiles.write(dir.resolve("config.json"), model.config()::write);
        if (tokenizerSource != null && !tokenizerSource.toAbsolutePath().equals(dir.toAbsolutePath())) {
            for (String f : TOKENIZER_FILES) {
                Path src = tokenizerSource.resolve(f);
                if (Files.isRegularFile(src)) {
                    AtomicFiles.copy(src, dir.resolve(f));
                }
            }
        }
    }
}
