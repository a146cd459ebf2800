package io.github.editunit.framework.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.tuning.CaseSplit;
import io.github.editunit.framework.tuning.TunedFile;
import io.github.editunit.framework.tuning.Tuner;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code editunit tune}: finds hyperparameters for a method on a model — the cases split into a tuning part and a
 * held-out part, a one-pass coordinate search over a small documented space (layers seeded by causal tracing),
 * every setting scored by ES/PS/NS and the perplexity ratio its edits cause, the choice and the starting file
 * scored on the held-out part — and writes {@code <model>/editunit-hparams/<method file>} with its provenance,
 * which the catalog then uses for that model.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Tune a method's hyperparameters on a model and write them into the model directory.")
public final class TuneCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", required = true, paramLabel = "FILE", description = "Cases to tune on (any accepted format).")
    Path cases;

    @Option(names = "--method", defaultValue = "rome", paramLabel = "METHOD", description = "rome, c-rome, p-rome, memit, ft-l (default rome).")
    String method;

    @Option(names = "--tune-cases", defaultValue = "20", paramLabel = "N", description = "Cases the search scores settings on (default 20).")
    int tuneCases;

    @Option(names = "--heldout-cases", defaultValue = "40", paramLabel = "N", description = "Held-out cases the choice is scored on (default 40).")
    int heldoutCases;

    @Option(names = "--split-seed", defaultValue = "1", paramLabel = "N", description = "Seed of the split's shuffle (default 1).")
    long splitSeed;

    @Option(names = "--batch", paramLabel = "N", description = "Cases per edit (default: all tuning cases in one batch for memit, 1 otherwise).")
    Integer batch;

    @Option(names = "--hparams", paramLabel = "FILE", description = "Start from this file (default: the model's own, else the catalog's).")
    Path hparams;

    @Option(names = "--max-trials", defaultValue = "0", paramLabel = "N", description = "Stop after N trials (0 = the whole space).")
    int maxTrials;

    @Option(names = "--max-minutes", defaultValue = "0", paramLabel = "M", description = "Start no trial after M minutes (0 = no limit).")
    double maxMinutes;

    @Option(names = "--ppl-corpus", paramLabel = "FILE", description = "Perplexity corpus (default <model>/suites/heldout-ppl.json).")
    Path pplCorpus;

    @Option(names = "--ppl-limit", defaultValue = "50", paramLabel = "N", description = "First N sentences (default 50).")
    int pplLimit;

    @Option(names = "--max-ppl-ratio", defaultValue = "1.1", paramLabel = "X",
            description = "An edit moving perplexity past ×X counts against its setting (default 1.1).")
    double maxPplRatio;

    @Option(names = "--max-over-share", defaultValue = "0.1", paramLabel = "S",
            description = "Settings where more than this share of edits pass --max-ppl-ratio are never chosen (default 0.1).")
    double maxOverShare;

    @Option(names = "--no-trace", description = "Do not seed the layer candidates by causal tracing (centre them on the start file's layer).")
    boolean noTrace;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of <model>/editunit-hparams/<method file>.")
    Path out;

    @Option(names = "--json", description = "Print the run (trials, choice, held-out scores, file) as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Tuner.Config config;
        try {
            config = new Tuner.Config(method, batch != null ? batch : 0, hparams, maxTrials, maxMinutes, maxPplRatio,
                    maxOverShare, !noTrace);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        if (batch != null && batch < 1) {
            throw new InputException("--batch must be at least 1");
        }
        Path corpus = pplCorpus != null ? pplCorpus : modelOptions.model.resolve("suites/heldout-ppl.json");
        if (!Files.isRegularFile(corpus)) {
            throw new InputException(corpus + " not found: give --ppl-corpus");
        }
        List<EditCase> all = CaseFileReader.readStrict(cases);
        CaseSplit split;
        try {
            split = CaseSplit.of(all, tuneCases, heldoutCases, splitSeed);
        } catch (IllegalArgumentException e) {
            throw new InputException(cases + ": " + e.getMessage());
        }
        modelOptions.check();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String modelArg = modelOptions.asTyped(args);
        Path target = out != null ? out : Tuner.defaultTarget(modelOptions.model, config.method());
        Tuner.Result result;
        try (LanguageModel model = modelOptions.load()) {
            Tuner tuner = new Tuner(model, modelOptions.model, modelArg,
                    SentenceCorpus.read(corpus).limit(pplLimit).sentences(), StatisticsCache.atDefaultLocation(),
                    System.err::println);
            try {
                result = tuner.run(config, split, cases.getFileName().toString());
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage());
            }
        }
        if (!result.admissible()) {
            return EditUnitCli.EXIT_FAILED;
        }
        TunedFile.write(target, result.content());
        System.err.println("[tune] wrote " + target);
        if (json) {
            ObjectNode doc = (ObjectNode) result.content().get("_provenance").deepCopy();
            doc.put("file", target.toString());
            Json.print(doc);
        }
        return EditUnitCli.EXIT_OK;
    }
}
