package io.github.editunit.framework.cli;

import io.github.editunit.framework.bench.EditSoakBenchmark;
import io.github.editunit.framework.bench.Machine;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-soak", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Edit + restore cycles of one case in one JVM: weights hash after each, "
        + "identical updates, flat resident memory (docs/benchmarks.md).")
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "bundled", converter = ModelPathConverter.class, paramLabel = "DIR")
    Path model;

    @Option(names = "--cases", paramLabel = "FILE", description = "Case file (default: the bundled single-edit suite).")
    Path cases;

    @Option(names = "--case-index", defaultValue = "11", paramLabel = "N",
            description = "Record to edit (default 11: case 104, the case the NaN-gradient report named).")
    int caseIndex;

    @Option(names = "--method", defaultValue = "rome", paramLabel = "METHOD")
    String method;

    @Option(names = "--cycles", defaultValue = "1000", paramLabel = "N")
    int cycles;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "N",
            description = "Cycles before the first resident-memory sample.")
    int warmup;

    @Option(names = "--stats-dir", paramLabel = "DIR", description = "Statistics cache directory.")
    Path statsDir;

    @Option(names = "--rss-bound-mb", defaultValue = "64", paramLabel = "MB",
            description = "Growth of resident memory after the warm-up that fails the run.")
    double rssBoundMb;

    @Override
    public Integer call() throws Exception {
        Path file = cases != null ? cases : BundledModels.tinySuite("single-edit.json");
        Path stats = statsDir != null ? statsDir : StatisticsCache.defaultDirectory();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.describe());
        out.put("load", Machine.loadavg());
        Map<String, Object> r = EditSoakBenchmark.run(model, file, caseIndex, method, cycles, warmup, stats);
        out.putAll(r);
        out.put("rssBoundMb", rssBoundMb);
        out.put("loadAfter", Machine.loadavg());
        Object growth = r.get("rssGrowthAfterWarmupMb");
        boolean ok = (int) r.get("distinctUpdates") == 1 && (int) r.get("weightsHashMismatches") == 0
                && (growth == null || (double) growth <= rssBoundMb);
        out.put("passed", ok);
        Json.print(out);
        return ok ? 0 : 1;
    }
}
