package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.ConfigurationResolver;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.LoadOptions;
import io.github.editunit.framework.model.Precision;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads each model once per run, on first use by a running node (never during discovery). */
public final class ModelSessions implements AutoCloseable {

    private final Map<String, ModelSession> sessions = new LinkedHashMap<>();
    private final ConsoleProgress progress;

    /** @param progress where the load line of each model and its baseline perplexity lines go */
    public ModelSessions(ConsoleProgress progress) {
        this.progress = progress;
    }

    /** The base model of a suite. */
    public ModelSession base(HardEditConfiguration config) {
        return session(modelDir(config.model()), config, List.of());
    }

    /** Verify mode: the edited model (a directory, or the base model plus patches). */
    public ModelSession edited(HardEditConfiguration config) {
        if (config.verifyEdited() != null) {
            return session(modelDir(config.verifyEdited()), config, List.of());
        }
        if (config.verifyPatches().isEmpty()) {
            throw new InfrastructureException("verify mode needs hardedit.verify.edited or hardedit.verify.patches");
        }
        List<Path> patches = new ArrayList<>();
        for (String p : config.verifyPatches()) {
            Path file = Paths.get(p);
            if (!Files.isRegularFile(file)) {
                throw new InfrastructureException("weight patch " + file.toAbsolutePath() + " not found");
            }
            patches.add(file);
        }
        return session(modelDir(config.model()), config, patches);
    }

    /** Resolves {@code bundled} or a directory. */
    public static Path modelDir(String model) {
        if (BundledModels.isBundled(model)) {
            return BundledModels.resolve(model);
        }
        ConfigurationResolver.modelDirectoryProblem(model).ifPresent(p -> {
            throw new InfrastructureException(p);
        });
        return Paths.get(model);
    }

    private synchronized ModelSession session(Path dir, HardEditConfiguration config, List<Path> patches) {
        String device = config.device();
        Precision precision = config.precision();
        String key = dir.toAbsolutePath().normalize() + "|" + device + "|" + precision + "|" + patches;
        ModelSession s = sessions.get(key);
        if (s == null) {
            DjlRuntime.prepare();
            long t0 = System.nanoTime();
            try {
                // the estimate goes to stderr like the engine's progress; refusals become infrastructure errors
                LoadOptions options = LoadOptions.defaults().withDevice(DjlRuntime.device(device))
                        .withPrecision(precision).withPatches(patches).withMemoryCheck(config.memoryCheckEnabled())
                        .withLog(System.err::println);
                LanguageModel model = ModelFiles.load(dir, options);
                s = new ModelSession(dir, patches, model, (System.nanoTime() - t0) / 1e9, progress);
                progress.info(s.loadedLine());
            } catch (Exception e) {
                throw new InfrastructureException("cannot load model " + dir + (patches.isEmpty() ? "" : " with patches "
                        + patches) + ": " + e.getMessage(), e);
            }
            sessions.put(key, s);
        }
        return s;
    }

    /** The sessions loaded so far. */
    public synchronized List<ModelSession> loaded() {
        return List.copyOf(sessions.values());
    }

    @Override
    public synchronized void close() {
        for (ModelSession s : sessions.values()) {
            s.close();
        }
        sessions.clear();
    }
}
