package io.github.editunit.framework.training;

import io.github.editunit.framework.safetensors.CheckpointFiles;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a training run a model card states, kept in the weights file's metadata so a
 * card can be rewritten later from the model directory alone.
 *
 * @param documents training documents
 * @param tokenizerSeconds BPE training time
 * @param seconds training wall time
 * @param tokensPerSecond training throughput
 * @param epochs passes over the data
 * @param firstLoss loss of the first step
 * @param finalLoss mean loss of the last 50 steps
 */
public record TrainingSummary(int documents, double tokenizerSeconds, double seconds, double tokensPerSecond,
        double epochs, double firstLoss, double finalLoss) {

    private static final String PREFIX = "editunit.training.";

    static TrainingSummary of(SandboxModelBuilder.Built built) {
        TrainingReport r = built.report();
        return new TrainingSummary(built.documents(), built.tokenizerSeconds(), r.seconds(), r.tokensPerSecond(),
                r.epochs(), r.firstLoss(), r.finalLoss(50));
    }

    /** The metadata entries (under {@code editunit.training.}). */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "documents", Integer.toString(documents));
        m.put(PREFIX + "tokenizer_seconds", format(tokenizerSeconds));
        m.put(PREFIX + "seconds", format(seconds));
        m.put(PREFIX + "tokens_per_second", format(tokensPerSecond));
        m.put(PREFIX + "epochs", format(epochs));
        m.put(PREFIX + "first_loss", format(firstLoss));
        m.put(PREFIX + "final_loss", format(finalLoss));
        return m;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Reads the summary from {@code modelDir}'s weights file; names the missing key. */
    static TrainingSummary read(Path modelDir) throws IOException {
        Map<String, String> m;
        try (SafetensorsFile f = SafetensorsFile.open(modelDir.resolve(CheckpointFiles.SINGLE_FILE))) {
            m = f.metadata();
        }
        return new TrainingSummary((int) number(modelDir, m, "documents"), number(modelDir, m, "tokenizer_seconds"),
                number(modelDir, m, "seconds"), number(modelDir, m, "tokens_per_second"), number(modelDir, m, "epochs"),
                number(modelDir, m, "first_loss"), number(modelDir, m, "final_loss"));
    }

    private static double number(Path dir, Map<String, String> m, String key) throws IOException {
        String v = m.get(PREFIX + key);
        if (v == null) {
            throw new IOException(dir.resolve(CheckpointFiles.SINGLE_FILE) + ": metadata \"" + PREFIX + key
                    + "\" missing (the model was not trained by this version of train-tiny)");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IOException(dir.resolve(CheckpointFiles.SINGLE_FILE) + ": metadata \"" + PREFIX + key
                    + "\" is not a number: " + v, e);
        }
    }
}
