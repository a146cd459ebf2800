package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.LoadOptions;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.Precision;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.runtime.IntraOpThreads;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by commands that load a model. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR", converter = ModelPathConverter.class,
            description = "Hugging Face model directory (config.json, model.safetensors, tokenizer.json), "
                    + "or 'bundled' for the bundled tiny model.")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu (default), gpu or gpu:N (needs a CUDA libtorch, see README).")
    String device;

    @Option(names = "--patch", paramLabel = "FILE", description = "Apply an EditUnit weight patch (repeatable, in order).")
    java.util.List<Path> patches = new java.util.ArrayList<>();

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "TYPE",
            description = "Precision the weights are kept and computed in: float32 (default), float16 or bfloat16. "
                    + "Editing algebra stays float32/float64. See README, \"Memory and precision\".")
    String dtype;

    @Option(names = "--no-memory-check", description = "Load even when the estimated memory exceeds what the machine "
            + "has available (the estimate is printed either way).")
    boolean noMemoryCheck;

    /**
     * {@code --device} and {@code --dtype} must parse and every {@code --patch} must be a file
     * (checked before the model loads).
     */
    void check() {
        try {
            DjlRuntime.device(device);
        } catch (RuntimeException e) {
            throw new InputException("--device " + device + ": unknown device; use cpu, gpu or gpu:N");
        }
        precision();
        for (Path p : patches) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new InputException("--patch " + p + ": file not found");
            }
        }
    }

    /** The parsed {@code --dtype}. */
    Precision precision() {
        try {
            return Precision.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new InputException("--dtype " + dtype + ": " + e.getMessage());
        }
    }

    /**
     * The model as the user typed it on the command line ({@code bundled}, a relative directory), for reports that
     * must be rerunnable anywhere; the resolved directory's name when {@code --model} is not among the arguments.
     */
    String asTyped(java.util.List<String> originalArgs) {
        int at = originalArgs.indexOf("--model");
        return at >= 0 && at + 1 < originalArgs.size() ? originalArgs.get(at + 1) : String.valueOf(model.getFileName());
    }

    LanguageModel load() throws IOException {
        check();
        long t0 = System.nanoTime();
        LoadOptions options = LoadOptions.defaults().withDevice(DjlRuntime.device(device)).withPrecision(precision())
                .withPatches(patches).withMemoryCheck(!noMemoryCheck).withLog(System.err::println);
        LanguageModel m = ModelFiles.load(model, options);
        System.err.printf(java.util.Locale.ROOT, "[model] loaded %s (%s, %d layers, %,d parameters, %s) in %.1fs%n",
                model, m.architecture().name(), m.config().layers(), m.parameters().parameterCount(), m.precision(),
                (System.nanoTime() - t0) / 1e9);
        IntraOpThreads.adapt(m.config().width(), ai.djl.Device.Type.CPU.equals(m.device().getDeviceType())).ifPresent(System.err::println);
        return m;
    }
}
