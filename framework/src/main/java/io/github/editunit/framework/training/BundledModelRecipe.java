package io.github.editunit.framework.training;

import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.framework.storage.StagedDirectory;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.world.FactWorld;
import io.github.editunit.hardedit.world.WorldFiles;
import io.github.editunit.hardedit.world.WorldSpec;
import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bundled model, reproducibly: the seed-42 fact world, a BPE tokenizer, next-token
 * training, edit suites tagged with the real tokenizer, a statistics corpus, and a model card
 * with the measured metrics.
 */
public final class BundledModelRecipe {

    public static final long WORLD_SEED = 42;

    private final TinyModelSpec spec;

    public BundledModelRecipe(Integer stepsOverride) {
        this("gpt2", stepsOverride);
    }

    /** The recipe of the bundled model of {@code architecture} ({@code gpt2} or {@code llama}). */
    public BundledModelRecipe(String architecture, Integer stepsOverride) {
        TinyModelSpec b = TinyModelSpec.bundled(architecture);
        this.spec = stepsOverride == null ? b : b.withSteps(stepsOverride);
    }

    /** The model's directory name under {@code models/}. */
    public String name() {
        return spec.architecture().equals("gpt2") ? "editunit-tiny" : "editunit-tiny-" + spec.architecture();
    }

    /**
     * Writes the model directory {@code out}: everything goes into a hidden sibling directory that
     * is moved into place, with its manifest, only when complete (see {@link StagedDirectory}).
     */
    public void run(Path out) throws IOException {
        DjlRuntime.prepare();
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            write(staged.path(), out);
            staged.commit();
        }
        System.err.println("[train-tiny] wrote " + out);
    }

    /**
     * Rewrites the suites, statistics corpus and model card of an existing model directory
     * {@code out} from its weights (the training figures come from the weights' metadata), e.g.
     * after a change to the metrics; the weights are not touched.
     */
    public void rewriteCard(Path out) throws IOException {
        DjlRuntime.prepare();
        TrainingSummary summary = TrainingSummary.read(out);
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "vocab.json",
                    "merges.txt", "tokenizer_config.json"}) {
                if (Files.isRegularFile(out.resolve(f))) {
                    Files.copy(out.resolve(f), staged.path().resolve(f));
                }
            }
            describe(staged.path(), out, summary);
            staged.commit();
        }
        System.err.println("[train-tiny] rewrote the suites and card of " + out);
    }

    private void write(Path dir, Path out) throws IOException {
        FactWorld world = FactWorld.generate(WorldSpec.defaults(WORLD_SEED));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("editunit.world_seed", Long.toString(WORLD_SEED));
        meta.put("editunit.architecture", spec.architecture());
        SandboxModelBuilder.Built built = new SandboxModelBuilder(spec)
                .build(world.trainingDocuments(), world.singleTokenWords(), dir, meta);
        describe(dir, out, TrainingSummary.of(built));
    }

    /** Writes the suites, the statistics corpus and the model card beside the weights in {@code dir}. */
    private void describe(Path dir, Path out, TrainingSummary built) throws IOException {
        FactWorld world = FactWorld.generate(WorldSpec.defaults(WORLD_SEED));
        Path suites = dir.resolve("suites");
        try (LanguageModel model = ModelFiles.load(dir)) {
            WorldFiles files = WorldFiles.write(world, s -> model.tokenizer().encode(s).length, suites);
            Files.deleteIfExists(files.corpus()); // regenerable (./editunit world), too large to ship
            ModelCorpusFiles.writeStatsCorpus(dir, world.trainingDocuments());

            Map<String, FactRecallResult> recall = new CaseFactRecall(model, 32)
                    .evaluate(CaseFileReader.readStrict(files.singleEditExtended()));
            SentenceCorpus heldOut = SentenceCorpus.read(files.heldOutPerplexity());
            PerplexityResult ppl = Perplexity.withDefaults().compute(model, heldOut.sentences());
            double[] ratios = ModelCardSections.firstPositionRatios(model, heldOut.sentences());
            long firstToken = CaseFileReader.readStrict(files.singleEdit()).size();
            Files.writeString(dir.resolve("MODEL_CARD.md"),
                    card(model, built, recall, ppl, ratios, ModelCardSections.sha256(dir.resolve("model.safetensors"))));
            System.err.println("[train-tiny] model card for " + out + " (" + firstToken + " single-edit cases)");
            recall.forEach((k, r) -> System.err.printf(Locale.ROOT, "[train-tiny] %s top1 %.4f exact %.4f pTrue %.4f%n",
                    k, r.top1(), r.exact(), r.pTrue()));
        }
    }

    private String card(LanguageModel model, TrainingSummary built, Map<String, FactRecallResult> recall,
            PerplexityResult ppl, double[] ratios, String sha) {
        StringBuilder sb = new StringBuilder();
        boolean llama = spec.architecture().equals("llama");
        sb.append("# ").append(name()).append("\n\n");
        sb.append(llama ? "A small Llama (Hugging Face `LlamaForCausalLM` layout)" : "A small GPT-2 (Hugging Face layout)")
                .append(" trained from scratch by EditUnit on its seed-42 fact world, so ")
                .append("that edit suites run offline in minutes. It knows the world's facts; it knows nothing else.\n\n");
        sb.append(llama ? "Reproduce: `./editunit train-tiny --arch llama`" : "Reproduce: `./editunit train-tiny`")
                .append(" (writes this directory, including this card).\n\n");
        sb.append(ModelCardSections.configuration(model, spec, sha));
        sb.append("## Recipe\n\n");
        sb.append(String.format(Locale.ROOT, "- corpus: %d training documents of the seed-42 world (facts with their "
                + "training templates, mixed with background sentences; one template per fact held out)%n",
                built.documents()));
        sb.append(String.format(Locale.ROOT, "- AdamW, peak lr %.1e, warm-up + cosine, clip 1.0, weight decay 0.05, "
                + "%d steps of ≈%d padded tokens (length-bucketed), seed %d%n", spec.learningRate(), spec.steps(),
                spec.batchTokens(), spec.seed()));
        sb.append(String.format(Locale.ROOT, "- training time %.1f min on 2 CPU cores (%.0f tokens/s), %.1f epochs; "
                + "tokenizer %.1f s%n", built.seconds() / 60, built.tokensPerSecond(),
                built.epochs(), built.tokenizerSeconds()));
        sb.append(String.format(Locale.ROOT, "- loss %.3f → %.4f (mean of last 50 steps)%n%n",
                built.firstLoss(), built.finalLoss()));
        sb.append("## Metrics\n\nFact recall on `suites/single-edit.extended.json` (ground truths; `./editunit eval-facts "
                + "--model models/" + name() + " --cases models/" + name() + "/suites/single-edit.extended.json`):\n\n");
        sb.append(ModelCardSections.recallTable(recall)).append('\n');
        sb.append(ModelCardSections.heldOutPerplexity(ppl));
        sb.append(ModelCardSections.firstPositionActivation(model, ratios));
        sb.append("\n## Files\n\n- `config.json`, `model.safetensors`, `tokenizer.json`, `vocab.json`, `merges.txt`, "
                + "`tokenizer_config.json`: the Hugging Face layout\n- `suites/`: edit suites (CounterFact flat and "
                + "extended formats), `heldout-ppl.json` (ME-PPL format), `facts.json` (the world)\n"
                + "- `stats-corpus.txt`: the first " + ModelCorpusFiles.STATS_CORPUS_DOCUMENTS + " training documents, the default "
                + "corpus for covariance statistics\n"
                + "- `" + ModelManifest.FILE_NAME + "`: size and SHA-256 of every file, written last; loading checks "
                + "the files against it\n");
        return sb.toString();
    }
}
