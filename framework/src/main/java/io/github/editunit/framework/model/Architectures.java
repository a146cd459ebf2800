package io.github.editunit.framework.model;

import java.util.Locale;

/** Chooses the {@link Architecture} implementation for a configuration's {@code model_type}. */
public final class Architectures {

    private Architectures() {}

    public static Architecture forConfig(ModelConfig config) {
        String type = config.modelType() == null ? "gpt2" : config.modelType().toLowerCase(Locale.ROOT);
        switch (type) {
            case "gpt2":
                return new Gpt2Architecture(config);
            default:
                throw new IllegalArgumentException("model_type \"" + config.modelType()
                        + "\" is not supported yet (supported: gpt2). New families are new Architecture classes.");
        }
    }
}
