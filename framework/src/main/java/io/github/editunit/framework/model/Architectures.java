package io.github.editunit.framework.model;

import io.github.editunit.framework.model.gpt2.Gpt2Architecture;
import io.github.editunit.framework.model.gptj.GptjArchitecture;
import io.github.editunit.framework.model.llama.LlamaArchitecture;
import java.util.Locale;

/** Chooses the {@link Architecture} implementation for a configuration's {@code model_type}. */
public final class Architectures {

    private Architectures() {}

    public static Architecture forConfig(ModelConfig config) {
        String type = config.modelType() == null ? "gpt2" : config.modelType().toLowerCase(Locale.ROOT);
        switch (type) {
            case "gpt2":
                return new Gpt2Architecture(config);
            case "llama":
            case "mistral":
            case "qwen2":
                return new LlamaArchitecture(config);
            case "gptj":
                return new GptjArchitecture(config);
            default:
                throw new IllegalArgumentException("model_type \"" + config.modelType() + "\" is not supported "
                        + "(supported: " + String.join(", ", ModelConfig.SUPPORTED_TYPES)
                        + "). New families are new Architecture classes.");
        }
    }
}
