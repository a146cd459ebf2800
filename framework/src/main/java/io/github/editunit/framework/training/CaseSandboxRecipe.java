package io.github.editunit.framework.training;

import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox {@code train --cases} writes: a model trained on a {@link CaseCorpus} until it recalls
 * the cases (a {@link RecallFloorStop}, or a fixed number of steps), with what the bundled model
 * carries beside its weights so {@code edit}, {@code mine} and the engine run on it with no corpus
 * options: {@code stats-corpus.txt}, {@code suites/heldout-ppl.json} (see {@link ModelCorpusFiles})
 * and a {@code MODEL_CARD.md} stating recall, held-out perplexity, steps and time.
 */
public final class CaseSandboxRecipe {

    /**
     * What was written.
     *
     * @param built the training run
     * @param recall recall of all the cases' prompts, per group
     * @param perplexity held-out perplexity
     * @param stoppedAt the step at which the recall floors were reached; 0: ran the maximum steps
     */
    public record Result(SandboxModelBuilder.Built built, Map<String, FactRecallResult> recall,
            PerplexityResult perplexity, int stoppedAt) {}

    private final TinyModelSpec spec;
    private final SandboxModelBuilder builder;
    private final RecallFloorStop stop;
    private final String reproduce;

    /**
     * @param builder trains {@code spec} (configured with checkpoints or packing as wanted)
     * @param stop the early stop; null: train {@code spec.steps()} steps
     * @param reproduce the command that writes this directory, for the card
     */
    public CaseSandboxRecipe(TinyModelSpec spec, SandboxModelBuilder builder, RecallFloorStop stop, String reproduce) {
        this.spec = spec;
        this.builder = stop == null ? builder : builder.withEarlyStop(stop);
        this.stop = stop;
        this.reproduce = reproduce;
    }

    /**
     * Trains on {@code corpus} into {@code dir} and writes the corpora and the card there.
     *
     * @param name the model's name for the card (its directory name)
     * @param metadata entries for the weights' metadata
     */
    public Result write(CaseCorpus corpus, String casesDescription, Path dir, String name, Map<String, String> metadata)
            throws IOException {
        SandboxModelBuilder.Built built = builder.build(corpus.documents(), corpus.singleTokenWords(), dir, metadata);
        ModelCorpusFiles.writeStatsCorpus(dir, corpus.documents());
        ModelCorpusFiles.writeHeldOutPerplexity(dir, corpus.heldOutTexts());
        try (LanguageModel model = ModelFiles.load(dir)) {
            Map<String, FactRecallResult> recall = new CaseFactRecall(model, 32).evaluate(corpus.cases());
            PerplexityResult ppl = Perplexity.withDefaults().compute(model, corpus.heldOutTexts());
            double[] ratios = ModelCardSections.firstPositionRatios(model, corpus.heldOutTexts());
            int stoppedAt = stop == null ? 0 : stop.stoppedAt();
            Result result = new Result(built, recall, ppl, stoppedAt);
            Files.writeString(dir.resolve("MODEL_CARD.md"), card(model, corpus, casesDescription, name, result, ratios,
                    ModelCardSections.sha256(dir.resolve("model.safetensors"))));
            return result;
        }
    }

    private String card(LanguageModel model, CaseCorpus corpus, String cases, String name, Result result,
            double[] ratios, String sha) {
        SandboxModelBuilder.Built built = result.built();
        TrainingReport report = built.report();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(name).append("\n\n");
        sb.append(switch (spec.architecture()) {
            case "llama" -> "A small Llama (Hugging Face `LlamaForCausalLM` layout)";
            case "gptj" -> "A small GPT-J (Hugging Face `GPTJForCausalLM` layout)";
            default -> "A small GPT-2 (Hugging Face layout)";
        }).append(" trained from scratch by EditUnit on the true facts of ").append(cases).append(", mixed into the ")
                .append("documents of a generated background world, so that edits of these cases run offline. It knows ")
                .append("those facts and the background world; it knows nothing else.\n\n");
        sb.append("Reproduce: `").append(reproduce).append("` (writes this directory, including this card).\n\n");
        sb.append(ModelCardSections.configuration(model, spec, sha));
        sb.append("## Recipe\n\n");
        sb.append(String.format(Locale.ROOT, "- corpus: %d training documents: %d stating the %d cases' facts (edit, "
                + "paraphrase and neighbour prompts with their ground truths, repeated, with background sentences "
                + "between them) and %d of the background world (seed %d, %d subjects: its facts and background "
                + "sentences)%n", built.documents(), corpus.caseDocuments(), corpus.cases().size(),
                built.documents() - corpus.caseDocuments(), CaseCorpus.BACKGROUND_WORLD_SEED,
                corpus.backgroundSubjects()));
        sb.append(String.format(Locale.ROOT, "- AdamW, peak lr %.1e, warm-up + cosine over at most %d steps, clip 1.0, "
                + "weight decay 0.05, batches of ≈%d padded tokens (length-bucketed), seed %d%n", spec.learningRate(),
                spec.steps(), spec.batchTokens(), spec.seed()));
        if (stop == null) {
            sb.append(String.format(Locale.ROOT, "- steps: %d (fixed, no recall check)%n", report.steps()));
        } else if (result.stoppedAt() > 0) {
            sb.append(String.format(Locale.ROOT, "- steps: %d, stopped when top-1 recall of the edit / paraphrase / "
                    + "neighbour prompts reached the floors %s (checked every %d steps on a sample of the cases)%n",
                    report.steps(), stop.floors(), stop.every()));
        } else {
            sb.append(String.format(Locale.ROOT, "- steps: %d, the maximum: top-1 recall of the edit / paraphrase / "
                    + "neighbour prompts had not reached the floors %s when training ended (checked every %d steps "
                    + "on a sample of the cases)%n", report.steps(), stop.floors(), stop.every()));
        }
        if (report.resumedFromStep() > 0) {
            sb.append(String.format(Locale.ROOT, "- training time %.1f min on %d CPU cores (%.0f tokens/s) for steps "
                    + "%d-%d: resumed from a checkpoint at step %d, the earlier run's time is not recorded; %.1f "
                    + "epochs in all; tokenizer %.1f s%n", report.seconds() / 60,
                    Runtime.getRuntime().availableProcessors(), report.tokensPerSecond(), report.resumedFromStep() + 1,
                    report.steps(), report.resumedFromStep(), report.epochs(), built.tokenizerSeconds()));
        } else {
            sb.append(String.format(Locale.ROOT, "- training time %.1f min on %d CPU cores (%.0f tokens/s), %.1f epochs; "
                    + "tokenizer %.1f s%n", report.seconds() / 60, Runtime.getRuntime().availableProcessors(),
                    report.tokensPerSecond(), report.epochs(), built.tokenizerSeconds()));
        }
        sb.append(String.format(Locale.ROOT, "- loss %.3f → %.4f (mean of last 50 steps)%n%n", report.firstLoss(),
                report.finalLoss(50)));
        sb.append("## Metrics\n\nFact recall of all the cases (ground truths; `./editunit eval-facts --model ")
                .append(name).append(" --cases ...` with the case files):\n\n");
        sb.append(ModelCardSections.recallTable(result.recall())).append('\n');
        sb.append(ModelCardSections.heldOutPerplexity(result.perplexity()));
        sb.append(ModelCardSections.firstPositionActivation(model, ratios));
        sb.append("\n## Files\n\n- `config.json`, `model.safetensors`, `tokenizer.json`, `vocab.json`, `merges.txt`, "
                + "`tokenizer_config.json`: the Hugging Face layout\n"
                + "- `" + ModelCorpusFiles.HELD_OUT_PPL + "`: " + corpus.heldOutTexts().size() + " held-out texts of "
                + "the background world (ME-PPL format), in no training document; the default perplexity corpus of "
                + "`edit`, `mine` and the engine\n"
                + "- `" + ModelCorpusFiles.STATS_CORPUS + "`: the first " + ModelCorpusFiles.STATS_CORPUS_DOCUMENTS
                + " training documents, the default corpus for covariance statistics\n"
                + "- `" + ModelManifest.FILE_NAME + "`: size and SHA-256 of every file, written last; loading checks "
                + "the files against it\n");
        return sb.toString();
    }
}
