package io.github.editunit.framework.cli;

import io.github.editunit.framework.training.BundledModelRecipe;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-tiny", description = "Reproduce the bundled model: world, tokenizer, training, suites, model card.")
final class TrainTinyCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "models/editunit-tiny", paramLabel = "DIR")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Override the recipe's step count (for quick trials).")
    Integer steps;

    @Override
    public Integer call() throws Exception {
        new BundledModelRecipe(steps).run(out);
        return 0;
    }
}
