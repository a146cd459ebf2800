package io.github.editunit.framework.cli;

import io.github.editunit.hardedit.world.FactWorld;
import io.github.editunit.hardedit.world.WorldFiles;
import io.github.editunit.hardedit.world.WorldSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "world", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Write the seeded fact world: training corpus, held-out PPL corpus, edit suites, facts.")
final class WorldCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED", description = "World seed (the bundled model uses 42).")
    long seed;

    @Option(names = "--subjects", paramLabel = "N", description = "Number of subjects (default 1000).")
    Integer subjects;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        WorldSpec spec = WorldSpec.defaults(seed);
        if (subjects != null) {
            spec = spec.withSubjectCount(subjects);
        }
        FactWorld world = FactWorld.generate(spec);
        WorldFiles files = WorldFiles.write(world, out);
        System.err.printf("[world] seed %d: %d subjects, %d facts, %d documents → %s%n", seed, world.subjects().size(),
                world.facts().size(), world.trainingDocuments().size(), files.directory());
        return 0;
    }
}
