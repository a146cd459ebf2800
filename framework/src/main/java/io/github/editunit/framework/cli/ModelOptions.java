package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.runtime.DjlRuntime;
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

    /** {@code --device} must parse and every {@code --patch} must be a file (checked before the model loads). */
    void check() {
        try {
            DjlRuntime.device(device);
        } catch (RuntimeException e) {
            throw new InputException("--device " + device + ": unknown device; use cpu, gpu or gpu:N");
        }
        for (Path p : patches) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new InputException("--patch " + p + ": file not found");
            }
        }
    }

    LanguageModel load() throws IOException {
        long t0 = System.nanoTime();
        LanguageModel m = ModelFiles.load(model, DjlRuntime.device(device), patches);
        System.err.printf(java.util.Locale.ROOT, "[model] loaded %s (%s, %d layers, %,d parameters) in %.1fs%n",
                model, m.architecture().name(), m.config().layers(), m.parameters().parameterCount(),
                (System.nanoTime() - t0) / 1e9);
        return m;
    }
}
