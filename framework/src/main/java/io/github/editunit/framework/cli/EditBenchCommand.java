package io.github.editunit.framework.cli;

import io.github.editunit.framework.bench.EditLatencyBenchmark;
import io.github.editunit.framework.bench.Machine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench-edit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Edit latency per method and the cost of the statistics (docs/benchmarks.md).")
final class EditBenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = "bundled", converter = ModelPathConverter.class, paramLabel = "DIR")
    Path model;

    @Option(names = "--cases", defaultValue = "20", paramLabel = "N")
    int cases;

    @Option(names = "--methods", defaultValue = "rome,c-rome,memit,ft-l", split = ",", paramLabel = "M,...")
    List<String> methods;

    @Option(names = "--memit-batch", defaultValue = "100", paramLabel = "N")
    int memitBatch;

    @Option(names = "--compare-reference", description = "Time every edit on the reference path too (the edit code "
            + "before issue 12's performance work), interleaved with the fast path in this run.")
    boolean compareReference;

    @Option(names = "--no-statistics", description = "Do not time the statistics (computed once, untimed).")
    boolean noStatistics;

    @Option(names = "--peer", paramLabel = "N", defaultValue = "0", description = "Also run the first N ROME cases on "
            + "an eager-PyTorch peer of the same edit (peer_rome.py, Python 3 with torch: Debian's python3-torch) and "
            + "compare its times and updates with the fast path's on those cases.")
    int peer;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Machine.describe());
        out.put("load", Machine.loadavg());
        out.putAll(EditLatencyBenchmark.run(model, cases, methods, memitBatch, compareReference,
                !noStatistics, peer));
        out.put("loadAfter", Machine.loadavg());
        Json.print(out);
        return 0;
    }
}
