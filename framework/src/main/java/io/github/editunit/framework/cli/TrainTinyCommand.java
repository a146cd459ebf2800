package io.github.editunit.framework.cli;

import io.github.editunit.framework.training.BundledModelRecipe;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-tiny", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Reproduce a bundled model (models/editunit-tiny, or with --arch llama "
        + "models/editunit-tiny-llama): world, tokenizer, training, suites, model card.")
final class TrainTinyCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = "gpt2", paramLabel = "ARCH", description = "gpt2 (default) or llama.")
    String arch;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Default: models/editunit-tiny (gpt2) or models/editunit-tiny-llama (llama).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Override the recipe's step count (for quick trials).")
    Integer steps;

    @Option(names = "--card-only", description = "Keep the trained weights in --out; rewrite its suites, statistics "
            + "corpus and model card (e.g. after a change to the metrics).")
    boolean cardOnly;

    @Override
    public Integer call() throws Exception {
        BundledModelRecipe recipe;
        try {
            recipe = new BundledModelRecipe(arch, steps);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        Path dir = out != null ? out : Path.of("models", recipe.name());
        if (cardOnly) {
            recipe.rewriteCard(dir);
        } else {
            recipe.run(dir);
        }
        return 0;
    }
}
