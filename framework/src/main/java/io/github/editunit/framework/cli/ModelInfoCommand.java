package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.MemoryBudget;
import io.github.editunit.framework.model.MemoryEstimate;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.stats.SecondMoment;
import io.github.editunit.framework.stats.StatisticsCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "model-info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Architecture, sizes, parameter count, weights hash, precision and memory estimate of a model.")
final class ModelInfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Option(names = "--stats-dir", paramLabel = "DIR", description = "Statistics cache whose entries for these "
            + "weights are listed with their provenance (default: -Deditunit.stats.dir, $EDITUNIT_STATS_DIR or "
            + "~/.cache/editunit/stats).")
    Path statsDir;

    @Override
    public Integer call() throws Exception {
        try (LanguageModel model = modelOptions.load()) {
            ModelConfig c = model.config();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("model", modelOptions.model.toString());
            info.put("architecture", model.architecture().name());
            info.put("layers", c.layers());
            info.put("width", c.width());
            info.put("innerWidth", c.innerWidth());
            info.put("family", c.modelType());
            info.put("heads", c.heads());
            info.putAll(c.familyInfo());
            info.put("contextLength", c.contextLength());
            info.put("vocabSize", c.vocabSize());
            info.put("parameters", model.parameters().parameterCount());
            info.put("tokenizerVocabSize", model.hasTokenizer() ? model.tokenizer().vocabSize() : null);
            info.put("bos", model.hasTokenizer() ? model.tokenizer().addsBos() : null);
            info.put("bosToken", model.hasTokenizer() ? model.tokenizer().bosToken() : null);
            if (model.hasTokenizer() && model.tokenizer() instanceof TextTokenizer t) {
                info.put("bosFrom", t.sequencePrefixSource());
            }
            info.put("device", model.device().toString());
            info.put("weightsHash", model.parameters().contentHash());
            // precision and memory (added fields; the ones above keep their names)
            MemoryEstimate est = MemoryEstimate.of(model.architecture(), model.precision());
            MemoryBudget budget = MemoryBudget.of(model.device());
            info.put("dtype", model.precision().label());
            info.put("checkpointDtypes", ModelFiles.checkpointDTypes(modelOptions.model));
            info.put("weightsBytes", model.parameters().byteSize());
            info.put("estimatedWorkingSetBytes", est.workingSetBytes());
            info.put("estimatedTotalBytes", est.totalBytes());
            info.put("availableMemoryBytes", budget == null ? null : budget.availableBytes());
            info.put("memoryEstimate", est.describe());
            StatisticsCache cache = new StatisticsCache(statsDir != null ? statsDir : StatisticsCache.defaultDirectory(),
                    SecondMoment.withDefaults(), System.err);
            List<Map<String, Object>> stats = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            cache.list(model.parameters().contentHash()).forEach((file, m) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("layer", m.layer());
                row.put("file", file.toString());
                row.put("provenance", m.provenance().toMap());
                stats.add(row);
                lines.add("layer " + m.layer() + ": " + m.provenance().summary() + " " + file.getFileName());
            });
            info.put("statistics", stats);
            if (json) {
                Json.print(info);
            } else {
                info.forEach((k, v) -> {
                    if (!k.equals("statistics")) {
                        System.out.printf("%-20s %s%n", k, v);
                    }
                });
                System.out.printf("%-20s %s%n", "statistics", lines.isEmpty() ? "none cached in " + cache.directory()
                        : lines.size() + " cached in " + cache.directory());
                lines.forEach(l -> System.out.printf("%-20s %s%n", "", l));
            }
        }
        return 0;
    }
}
