package io.github.editunit.framework.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.runtime.NativeHeap;
import io.github.editunit.framework.safetensors.CheckpointFiles;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import io.github.editunit.framework.safetensors.TensorSource;
import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.models.ModelManifest;
import io.github.editunit.framework.progress.Progress;
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

    /** Loads a model directory on the CPU, in float32. */
    public static LanguageModel load(Path dir) throws IOException {
        return load(dir, LoadOptions.defaults());
    }

    /** Loads a model directory in float32. */
    public static LanguageModel load(Path dir, Device device) throws IOException {
        return load(dir, LoadOptions.defaults().withDevice(device));
    }

    /** Loads a base model in float32 and applies patches written by {@link WeightPatch}, in order. */
    public static LanguageModel load(Path dir, Device device, java.util.List<Path> patches) throws IOException {
        return load(dir, LoadOptions.defaults().withDevice(device).withPatches(patches));
    }

    /**
     * Loads a model directory. Before any tensor is read: the precision is checked on the device
     * ({@link PrecisionSupport}) and the memory the model will take is estimated from
     * {@code config.json} ({@link MemoryEstimate}), logged in one line, and compared with the
     * {@link MemoryBudget} (a model that does not fit is refused with the numbers, unless the check is
     * off). Then every tensor is checked against the architecture's expected shape and for NaN or
     * infinite values; errors name the file and the tensor. Tensors are converted to the load
     * precision (F16 data loaded as float16 is taken as it is; a value beyond float16's range is an
     * error naming the tensor) and end up in memory libtorch owns, outside the JVM's direct-memory
     * limit. Patches are applied last, in order.
     */
    public static LanguageModel load(Path dir, LoadOptions options) throws IOException {
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
        Precision precision = options.precision();
        PrecisionSupport.require(precision, options.device());
        MemoryEstimate estimate = MemoryEstimate.of(arch, precision);
        checkMemory(dir, arch, estimate, options);
        NativeHeap.adaptTo(estimate.weightBytes()); // before the weights are read: their reading allocates too
        if (PrecisionSupport.isSlow(precision, options.device())) {
            options.log().accept("[model] note: " + precision + " on " + PrecisionSupport.label(options.device())
                    + " computes far slower than float32 (libtorch has no fast float16 matrix product on this CPU); "
                    + "it halves the memory of the weights, not the time");
        }
        ParameterStore store = new ParameterStore(NDManager.newBaseManager(options.device()), precision);
        LanguageModel model = null;
        try {
            readWeights(dir, arch, store, options.log());
            TextTokenizer tokenizer = hasTokenizer(dir) ? TextTokenizer.load(dir) : null;
            if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
                tokenizer.close();
                throw new IOException(dir.resolve("tokenizer.json") + ": tokenizer has " + tokenizer.vocabSize()
                        + " tokens but config.json says vocab_size " + config.vocabSize());
            }
            model = new LanguageModel(arch, store, tokenizer);
            for (Path p : options.patches()) {
                WeightPatch.apply(model, p);
            }
            NativeHeap.trim(); // the finiteness checks' temporaries leave holes between the weights
            return model;
        } catch (IOException | RuntimeException e) {
            if (model != null) {
                model.close();
            } else {
                store.close();
            }
            throw e;
        }
    }

    /**
     * Logs the estimate and refuses a model that does not fit the budget, naming the numbers and the
     * precisions that would fit.
     *
     * @throws ModelTooLargeException when the check is on and the estimate exceeds the budget
     */
    static void checkMemory(Path dir, Architecture arch, MemoryEstimate estimate, LoadOptions options) {
        MemoryBudget budget = options.budget().apply(options.device());
        if (budget == null) {
            options.log().accept("[model] memory: " + estimate.describe() + "; free memory of "
                    + PrecisionSupport.label(options.device()) + " unknown, not checked");
            return;
        }
        options.log().accept("[model] memory: " + estimate.describe() + "; " + budget.describe()
                + (options.memoryCheck() ? "" : "; memory check off"));
        long heap = Runtime.getRuntime().maxMemory();
        if (estimate.heapBytes() > heap) {
            options.log().accept("[model] warning: editing needs ≈ " + MemoryEstimate.gb(estimate.heapBytes())
                    + " of Java heap (weight snapshot, update and covariance of one layer) but the JVM may use at most "
                    + MemoryEstimate.gb(heap) + "; raise -Xmx (EDITUNIT_JAVA_OPTS)");
        }
        if (!options.memoryCheck() || estimate.totalBytes() <= budget.availableBytes()) {
            return;
        }
        throw new ModelTooLargeException(refusal(dir, arch, estimate, budget, options.device()), estimate,
                budget.availableBytes());
    }

    private static String refusal(Path dir, Architecture arch, MemoryEstimate e, MemoryBudget budget, Device device) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        StringBuilder m = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s (%s, %,d parameters) in %s needs ≈ %s for weights + ≈ %s working set = ≈ %s; %s has %s. ",
                name == null ? dir : name, arch.name(), e.parameters(), e.precision(), MemoryEstimate.gb(e.weightBytes()),
                MemoryEstimate.gb(e.workingSetBytes()), MemoryEstimate.gb(e.totalBytes()),
                device.isGpu() ? PrecisionSupport.label(device) : "this machine", budget.describe()));
        String alternative = null;
        for (Precision p : Precision.values()) {
            if (p.bytes() >= e.precision().bytes() || PrecisionSupport.staticProblem(p).isPresent()) {
                continue;
            }
            MemoryEstimate smaller = MemoryEstimate.of(arch, p);
            alternative = smaller.totalBytes() <= budget.availableBytes()
                    ? "Use --dtype " + p + " (hardedit.dtype=" + p + "; ≈ " + MemoryEstimate.gb(smaller.weightBytes())
                            + " for weights, ≈ " + MemoryEstimate.gb(smaller.totalBytes()) + " in all)"
                    : "Even " + p + " needs ≈ " + MemoryEstimate.gb(smaller.totalBytes()) + "; use a machine with more memory";
        }
        m.append(alternative != null ? alternative : "No smaller supported precision; use a machine with more memory");
        m.append(", or load anyway with --no-memory-check (hardedit.memory.check=false).");
        return m.toString();
    }

    /** The element types of a model directory's checkpoint tensors ({@code ["F32"]}, {@code ["BF16"]}, ...), from the headers. */
    public static List<String> checkpointDTypes(Path dir) throws IOException {
        Set<String> types = new TreeSet<>();
        try (TensorSource src = CheckpointFiles.open(dir)) {
            for (String name : src.tensorNames()) {
                types.add(src.info(name).dtype().name());
            }
        }
        return List.copyOf(types);
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

    private static void readWeights(Path dir, Architecture arch, ParameterStore store,
            java.util.function.Consumer<String> log) throws IOException {
        Map<String, Shape> expected = arch.parameterShapes();
        Path checkpoint = CheckpointFiles.locate(dir);
        String file = checkpoint.getFileName().toString();
        List<String> unknown = new ArrayList<>();
        long[] rounded = new long[2]; // bfloat16 values changed by float16, their tensors
        try (TensorSource src = CheckpointFiles.open(dir)) {
            // a large checkpoint takes a while: a line every two seconds, none for a quick one
            Progress progress = Progress.periodic("[model] reading " + file + ": ", src.tensorNames().size(), "tensors",
                    log, 2000);
            for (String name : src.tensorNames()) {
                progress.advance(1, 0);
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
                NDArray array = readTensor(src, name, file, store, rounded);
                store.put(canonical, array);
                if (!allFinite(array)) {
                    throw new IOException(file + ": tensor \"" + name + "\" contains NaN or infinite values; "
                            + "refusing to load a corrupt model");
                }
            }
        }
        if (rounded[0] > 0) {
            log.accept(String.format(java.util.Locale.ROOT, "[model] note: %,d bfloat16 value(s) in %,d tensor(s) below "
                    + "float16's normal range (6.1e-5) were rounded to float16", rounded[0], rounded[1]));
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

    /**
     * One checkpoint tensor in the store's precision, in memory libtorch owns (the safetensors reader streams into
     * such memory; Java direct buffers would count against the JVM's direct-memory limit, by default the heap size,
     * and stay resident until a garbage collection).
     */
    private static NDArray readTensor(TensorSource src, String name, String file, ParameterStore store, long[] rounded)
            throws IOException {
        DataType type = store.precision().dataType();
        DType fileType = src.info(name).dtype();
        NDManager m = store.manager();
        if (type == DataType.FLOAT32 || fileType == DType.F16) {
            return src.toNDArray(name, m, type);
        }
        NDArray f = src.toNDArray(name, m);
        try {
            if (!allFinite(f)) {
                return f.duplicate(); // reported as corrupt by the caller's check
            }
            NDArray converted = f.toType(type, true);
            if (!allFinite(converted)) {
                float max;
                try (NDArray abs = f.abs(); NDArray mx = abs.max()) {
                    max = mx.getFloat();
                }
                converted.close();
                throw new IOException(file + ": tensor \"" + name + "\" has values beyond " + store.precision()
                        + "'s range (largest |x| = " + max + ", limit 65504); load the model with dtype float32");
            }
            if (fileType == DType.BF16) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long changed = converted.toType(DataType.FLOAT32, false).neq(f).countNonzero().getLong();
                    if (changed > 0) {
                        rounded[0] += changed;
                        rounded[1]++;
                    }
                }
            }
            converted.setName(name);
            return converted;
        } finally {
            f.close();
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
