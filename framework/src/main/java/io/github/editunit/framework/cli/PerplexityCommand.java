package io.github.editunit.framework.cli;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.progress.Progress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ppl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Perplexity on a corpus (ME-PPL JSON or one sentence per line), ME-PPL recipe.")
final class PerplexityCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "ME-PPL .json or a text file.")
    Path corpus;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Use the first N sentences.")
    int limit;

    @Option(names = "--batch-size", defaultValue = "10", paramLabel = "N", description = "Sentences per batch (10).")
    int batchSize;

    @Option(names = "--json", description = "Print JSON on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SentenceCorpus sentences = SentenceCorpus.read(corpus).limit(limit);
        try (LanguageModel model = modelOptions.load()) {
            Progress progress = Progress.toStderr("ppl", sentences.size(), "sentences");
            PerplexityResult r = new Perplexity(batchSize).compute(model, sentences.sentences(), progress);
            if (r.truncated() > 0) {
                System.err.printf("[ppl] %d sentence(s) truncated to the model's context of %d tokens%n",
                        r.truncated(), model.config().contextLength());
            }
            if (r.nonFinite() > 0) {
                System.err.printf("[ppl] %d sentence(s) gave NaN/infinite log-probabilities: the model is collapsed%n",
                        r.nonFinite());
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ppl", Json.number(r.ppl()));
                out.put("corpusPpl", Json.number(r.corpusPpl()));
                out.put("sentences", r.sentences());
                out.put("tokens", r.tokens());
                out.put("bos", r.bos()); // with a BOS every text token is scored, without it the first is context
                out.put("bosToken", model.tokenizer().bosToken());
                out.put("seconds", r.seconds());
                Json.print(out);
            } else {
                System.out.printf(Locale.ROOT, "ppl %.4f  corpusPpl %.4f  sentences %d  tokens %d  seconds %.2f%n",
                        r.ppl(), r.corpusPpl(), r.sentences(), r.tokens(), r.seconds());
            }
        }
        return 0;
    }
}
