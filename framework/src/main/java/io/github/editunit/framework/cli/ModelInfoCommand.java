package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.MemoryBudget;
import io.github.editunit.framework.model.MemoryEstimate;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.model.ModelFiles;
import java.util.LinkedHashMap;
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
            if (json) {
                Json.print(info);
            } else {
                info.forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
            }
        }
        return 0;
    }
}
