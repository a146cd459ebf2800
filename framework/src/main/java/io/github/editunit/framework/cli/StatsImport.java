package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.stats.NpzFormatException;
import io.github.editunit.framework.stats.SecondMomentStatistics;
import io.github.editunit.framework.stats.StatisticsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code import} mode of {@code editunit stats} ({@code stats import FILE --model DIR --layer L}):
 * converts a published {@code .npz} second-moment file (the ROME authors' layout) into the statistics
 * cache of one model and layer. (A mode rather than a picocli subcommand: {@code stats} itself
 * requires {@code --model}, which picocli would then demand before the subcommand.)
 */
final class StatsImport {

    private StatsImport() {}

    static int run(ModelOptions modelOptions, Path file, Integer layer, Path dir, boolean json) throws Exception {
        if (layer == null) {
            throw new InputException("stats import: --layer L is required (the 0-based layer the file belongs to)");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("stats import: " + file + ": file not found");
        }
        if (layer < 0) {
            throw new InputException("--layer " + layer + ": must be >= 0");
        }
        modelOptions.check();
        StatisticsCache cache = new StatisticsCache(dir, io.github.editunit.framework.stats.SecondMoment.withDefaults(),
                System.err);
        try (LanguageModel model = modelOptions.load()) {
            if (layer >= model.config().layers()) {
                throw new InputException("--layer " + layer + ": the model has layers 0.." + (model.config().layers() - 1));
            }
            StatisticsCache.Entry e;
            try {
                e = cache.importPublished(model, layer, file);
            } catch (NpzFormatException ex) {
                throw new InputException(ex.getMessage());
            }
            SecondMomentStatistics s = e.statistics();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", modelOptions.model.toString());
            out.put("layer", layer);
            out.put("dim", s.dim());
            out.put("trace", Json.number(s.trace()));
            out.put("file", e.file().toString());
            out.put("fromCache", e.fromCache());
            out.put("provenance", s.metadata().provenance().toMap());
            if (json) {
                Json.print(out);
            } else {
                System.out.printf(Locale.ROOT, "layer %d d_k %d trace %.6g: %s%n  %s %s%n", layer, s.dim(), s.trace(),
                        s.metadata().provenance().summary(), e.fromCache() ? "already in" : "imported into",
                        e.file());
            }
        }
        return 0;
    }
}
