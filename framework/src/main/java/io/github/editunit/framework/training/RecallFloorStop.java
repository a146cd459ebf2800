package io.github.editunit.framework.training;

import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Stops training once the model recalls the cases: every {@code every} steps it measures top-1
 * recall of the edit, paraphrase and neighbour prompts (of a seeded sample of the cases) and stops
 * when all three reach their {@link RecallFloors}. Each measurement is reported on stderr.
 */
public final class RecallFloorStop implements EarlyStop {

    /** Steps between two measurements unless told otherwise. */
    public static final int DEFAULT_EVERY = 50;
    /** Cases measured unless told otherwise. */
    public static final int DEFAULT_SAMPLE = 100;

    private final RecallFloors floors;
    private final int every;
    private final Function<LanguageModel, Map<String, FactRecallResult>> measure;
    private Map<String, FactRecallResult> last;
    private int lastStep;
    private int stoppedAt;

    /**
     * @param measure recall of the model per group ({@code edit}, {@code paraphrase}, {@code neighbour})
     */
    public RecallFloorStop(RecallFloors floors, int every, Function<LanguageModel, Map<String, FactRecallResult>> measure) {
        if (every < 1) {
            throw new IllegalArgumentException("recall check interval " + every + ": must be at least 1 step");
        }
        this.floors = floors;
        this.every = every;
        this.measure = measure;
    }

    /** Measures a seeded sample of at most {@code sample} of {@code cases}. */
    public static RecallFloorStop onCases(List<EditCase> cases, RecallFloors floors, int every, int sample, long seed) {
        List<EditCase> measured = sample(cases, sample, seed);
        return new RecallFloorStop(floors, every, model -> new CaseFactRecall(model, 32).quiet().evaluate(measured));
    }

    static List<EditCase> sample(List<EditCase> cases, int n, long seed) {
        if (cases.size() <= n) {
            return List.copyOf(cases);
        }
        List<EditCase> shuffled = new ArrayList<>(cases);
        Collections.shuffle(shuffled, new Random(seed));
        return List.copyOf(shuffled.subList(0, n));
    }

    @Override
    public boolean shouldStop(LanguageModel model, int stepsDone) {
        if (stepsDone % every != 0) {
            return false;
        }
        long t0 = System.nanoTime();
        last = measure.apply(model);
        lastStep = stepsDone;
        boolean reached = floors.reachedBy(last);
        System.err.printf(Locale.ROOT, "[train] step %d: top-1 recall edit %s, paraphrase %s, neighbour %s "
                + "(floors %s)%s (%.1fs)%n", stepsDone, format(last.get("edit")), format(last.get("paraphrase")),
                format(last.get("neighbour")), floors, reached ? ": reached, stopping" : "",
                (System.nanoTime() - t0) / 1e9);
        if (reached) {
            stoppedAt = stepsDone;
        }
        return reached;
    }

    private static String format(FactRecallResult r) {
        return r == null || r.facts() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", r.top1());
    }

    public RecallFloors floors() {
        return floors;
    }

    public int every() {
        return every;
    }

    /** The step at which the floors were reached; 0 while they have not been. */
    public int stoppedAt() {
        return stoppedAt;
    }

    /** The latest measurement (null before the first) and its step. */
    public Map<String, FactRecallResult> lastRecall() {
        return last;
    }

    public int lastStep() {
        return lastStep;
    }
}
