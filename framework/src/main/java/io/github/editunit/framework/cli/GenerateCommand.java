package io.github.editunit.framework.cli;

import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.model.LanguageModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Continue a prompt, greedily or with seeded top-k sampling.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "20", paramLabel = "N")
    int maxTokens;

    @Option(names = "--top-k", defaultValue = "1", paramLabel = "K", description = "1 = greedy (default).")
    int topK;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (LanguageModel model = modelOptions.load()) {
            String text = new Generator(model).generate(prompt,
                    new Generator.Options(maxTokens, topK, seed, true));
            System.out.println(prompt + text);
        }
        return 0;
    }
}
