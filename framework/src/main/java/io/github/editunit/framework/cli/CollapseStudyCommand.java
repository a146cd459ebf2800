package io.github.editunit.framework.cli;

import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.study.CollapseStudy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "collapse-study", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Regenerate docs/collapse-study.md on a model with EditUnit's suites.")
final class CollapseStudyCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "bundled", converter = ModelPathConverter.class, paramLabel = "DIR")
    Path model;

    @Option(names = "--out", defaultValue = "docs/collapse-study.md", paramLabel = "FILE")
    Path out;

    @Option(names = "--cases", defaultValue = "0", paramLabel = "N", description = "Single-edit cases per mode (0 = all).")
    int cases;

    @Option(names = "--steps", defaultValue = "100", paramLabel = "N", description = "Sequential edits per method.")
    int steps;

    @Option(names = "--methods", defaultValue = "rome,c-rome,memit,ft-l", split = ",", paramLabel = "M,...")
    List<String> methods;

    @Option(names = "--ppl-bound", defaultValue = "x1.5", paramLabel = "BOUND")
    String bound;

    @Option(names = "--stats-dir", paramLabel = "DIR")
    Path statsDir;

    @Override
    public Integer call() throws Exception {
        StatisticsCache cache = statsDir != null ? new StatisticsCache(statsDir) : StatisticsCache.atDefaultLocation();
        new CollapseStudy(model, new CollapseStudy.Options(cases, steps, methods, 50, 300, CollapseBound.parse(bound)),
                cache).run(out);
        System.err.println("[study] wrote " + out);
        return 0;
    }
}
