package io.github.editunit.framework.tuning;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.EditCase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The last step of {@code train --cases}: tune each method on the sandbox's own cases and write the files into
 * its {@code editunit-hparams/}, so the model directory carries working hyperparameters. Uses the sandbox's
 * held-out perplexity corpus and its statistics corpus, and returns one line per method for the model card.
 */
public final class SandboxTuning {

    /** What one method's tuning left in the model directory. */
    public record Tuned(String method, boolean written, String summary) {}

    /** The most cases tuned on. */
    public static final int TUNE_CASES = 20;
    /** The most held-out cases scored (twice: the start and the choice). */
    public static final int HELDOUT_CASES = 20;

    /**
     * MEMIT's batch: it is tuned on one batch of this many cases and scored on as many held-out ones (or on half of the
     * cases each when there are fewer than twice as many). A prior λ chosen on a batch of 20 let batches of 100 break
     * a sandbox (perplexity ×1.9, docs/sandboxes.md): MEMIT is tuned at the batch size users run it with.
     */
    public static final int MEMIT_BATCH = 100;

    private SandboxTuning() {}

    /**
     * {@code {tuning cases, held-out cases}} of {@code n} cases: {@link #TUNE_CASES} and {@link #HELDOUT_CASES} (half
     * each when fewer); for MEMIT one batch of up to {@link #MEMIT_BATCH} to tune on and as many held out.
     */
    static int[] splitSizes(int n, boolean memit) {
        int heldout = Math.min(HELDOUT_CASES, n / 2);
        int tune = Math.min(TUNE_CASES, n - heldout);
        if (!memit) {
            return new int[] {tune, heldout};
        }
        int batch = Math.max(tune, Math.min(MEMIT_BATCH, n / 2));
        return new int[] {batch, Math.min(batch, n - batch)};
    }

    /**
     * @param modelDir   the finished sandbox (with {@code suites/heldout-ppl.json} and {@code stats-corpus.txt})
     * @param cases      its cases
     * @param methods    methods to tune, in order (rome's file also serves C-ROME and p-ROME)
     * @param maxTrials  trial budget per method (0: the whole search space)
     * @param maxMinutes time budget per method (0: none)
     */
    public static List<Tuned> run(Path modelDir, List<EditCase> cases, String casesName, List<String> methods,
            int maxTrials, double maxMinutes, StatisticsCache cache, Consumer<String> log) throws IOException {
        int[] sizes = splitSizes(cases.size(), false);
        int tune = sizes[0];
        int heldout = sizes[1];
        if (tune < 1 || heldout < 1) {
            log.accept("[tune] " + cases.size() + " cases are too few to tune on (need at least 2); no hyperparameters written");
            return List.of();
        }
        CaseSplit split = CaseSplit.of(cases, tune, heldout, 1);
        int[] memitSizes = splitSizes(cases.size(), true);
        int memitBatch = memitSizes[0];
        CaseSplit memitSplit = Arrays.equals(memitSizes, sizes) ? split
                : CaseSplit.of(cases, memitBatch, memitSizes[1], 1);
        List<String> ppl = SentenceCorpus.read(modelDir.resolve("suites/heldout-ppl.json")).limit(50).sentences();
        List<Tuned> out = new ArrayList<>();
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            Tuner tuner = new Tuner(model, modelDir, modelDir.getFileName().toString(), ppl, cache, log);
            for (String m : methods) {
                boolean memit = m.equals("memit");
                Tuner.Config config = new Tuner.Config(m, memit ? memitBatch : 0, null, maxTrials, maxMinutes, 1.1, 0.1,
                        true);
                Tuner.Result r;
                try {
                    r = tuner.run(config, memit ? memitSplit : split, casesName);
                } catch (IllegalArgumentException e) {
                    // no starting file for this shape (the catalog names what it knows): the sandbox stays usable
                    log.accept("[tune] " + m + " not tuned: " + e.getMessage());
                    out.add(new Tuned(m, false, m + ": not tuned: " + e.getMessage()));
                    continue;
                }
                if (r.admissible()) {
                    TunedFile.write(Tuner.defaultTarget(modelDir, m), r.content());
                    TrialResult h = r.run().bestHeldout();
                    TrialResult s = r.run().startHeldout();
                    out.add(new Tuned(m, true, String.format(Locale.ROOT, "%s: %s — held-out ES %.3f, PS %.3f, NS %.3f "
                            + "on %d cases (median perplexity ratio %.3f); the start (%s) %s there", m,
                            r.run().search().best().settings(), h.es(), h.ps(), h.ns(), h.cases(), h.medianPplRatio(),
                            r.run().startOrigin(), s.error() != null ? "could not run: " + s.error()
                                    : String.format(Locale.ROOT, "scored ES %.3f, PS %.3f, NS %.3f", s.es(), s.ps(),
                                            s.ns()))));
                } else {
                    out.add(new Tuned(m, false, m + ": no admissible setting in " + r.run().search().trials().size()
                            + " trials; no file written"));
                }
            }
        }
        return out;
    }
}
