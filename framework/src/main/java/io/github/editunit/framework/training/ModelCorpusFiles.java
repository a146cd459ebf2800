package io.github.editunit.framework.training;

import io.github.editunit.hardedit.world.WorldFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The corpora a trained model directory carries beside its weights, which {@code edit}, {@code mine}
 * and the engine find there by default: {@code stats-corpus.txt} (covariance statistics) and
 * {@code suites/heldout-ppl.json} (perplexity).
 */
public final class ModelCorpusFiles {

    /** The statistics corpus's name in a model directory. */
    public static final String STATS_CORPUS = "stats-corpus.txt";
    /** The held-out perplexity corpus's path in a model directory. */
    public static final String HELD_OUT_PPL = "suites/heldout-ppl.json";
    /** Training documents copied next to the model as its default statistics corpus. */
    public static final int STATS_CORPUS_DOCUMENTS = 2000;

    private ModelCorpusFiles() {
    }

    /** Writes the first {@link #STATS_CORPUS_DOCUMENTS} training documents, one per line, to {@code dir/stats-corpus.txt}. */
    public static Path writeStatsCorpus(Path dir, List<String> trainingDocuments) throws IOException {
        Path file = dir.resolve(STATS_CORPUS);
        Files.write(file, trainingDocuments.subList(0, Math.min(STATS_CORPUS_DOCUMENTS, trainingDocuments.size())),
                StandardCharsets.UTF_8);
        return file;
    }

    /** Writes held-out texts (never trained on) in the ME-PPL format to {@code dir/suites/heldout-ppl.json}. */
    public static Path writeHeldOutPerplexity(Path dir, List<String> heldOutTexts) throws IOException {
        Path file = dir.resolve(HELD_OUT_PPL);
        Files.createDirectories(file.getParent());
        WorldFiles.writeHeldOutPerplexity(heldOutTexts, file);
        return file;
    }
}
