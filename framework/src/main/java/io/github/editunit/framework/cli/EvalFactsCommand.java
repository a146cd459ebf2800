package io.github.editunit.framework.cli;

import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eval-facts}: how well an (unedited) model knows the cases' ground truths: first-token
 * top-1, greedy exact match and mean {@code P(object) = exp(Σ log P(o_t|…))} on the edit prompts,
 * the paraphrase prompts and the neighbour prompts (with the neighbours' ground truths). Cases
 * without a ground truth contribute only their neighbours. Progress goes to stderr.
 */
@Command(name = "eval-facts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Fact recall of the cases' ground truths (top-1, exact, P(true)).")
public final class EvalFactsCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--cases", required = true, paramLabel = "FILE", description = "Edit-case file (any accepted format).")
    Path cases;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use the first N cases (0 = all).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N", description = "Prompts per forward pass (16).")
    int batchSize;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<EditCase> all = CaseFileReader.readStrict(cases);
        List<EditCase> used = limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
        long noTruth = used.stream().filter(c -> c.groundTruth() == null).count();
        if (noTruth > 0) {
            System.err.printf("[eval-facts] %d case(s) without ground_truth: only their neighbours are used%n", noTruth);
        }
        Map<String, FactRecallResult> results;
        try (LanguageModel model = modelOptions.load()) {
            results = new CaseFactRecall(model, batchSize).evaluate(used);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            results.forEach((k, r) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("top1", Json.number(r.top1()));
                m.put("exact", Json.number(r.exact()));
                m.put("pTrue", Json.number(r.pTrue()));
                out.put(k, m);
            });
            Json.print(out);
        } else {
            System.out.printf(Locale.ROOT, "%-11s %7s %7s %7s %9s%n", "prompts", "n", "top1", "exact", "pTrue");
            results.forEach((k, r) -> System.out.printf(Locale.ROOT, "%-11s %7d %7.4f %7.4f %9.6f%n",
                    k, r.facts(), r.top1(), r.exact(), r.pTrue()));
        }
        return 0;
    }
}
