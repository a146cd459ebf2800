package io.github.editunit.framework.cli;

import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.framework.storage.StagedDirectory;
import io.github.editunit.framework.training.CaseCorpus;
import io.github.editunit.framework.training.CaseSandboxRecipe;
import io.github.editunit.framework.training.RecallFloorStop;
import io.github.editunit.framework.training.RecallFloors;
import io.github.editunit.framework.training.SandboxModelBuilder;
import io.github.editunit.framework.training.TrainingCheckpoint;
import io.github.editunit.framework.training.TinyModelSpec;
import io.github.editunit.framework.tuning.SandboxTuning;
import io.github.editunit.hardedit.world.FactWorld;
import io.github.editunit.hardedit.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Train a sandbox model (GPT-2, Llama or GPT-J architecture) that knows the facts "
        + "of a generated world or of case files.")
final class TrainCommand implements Callable<Integer> {

    /** Methods the end-of-training tuning accepts. */
    static final List<String> TUNABLE = List.of("rome", "memit", "ft");

    static final class Source {
        @Option(names = "--world", paramLabel = "SEED", description = "Generate the fact world with this seed.")
        Long world;

        @Option(names = "--cases", paramLabel = "FILE", arity = "1..*",
                description = "CounterFact-format case files whose ground_truth facts the model should know.")
        List<Path> cases;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--arch", defaultValue = "gpt2", paramLabel = "ARCH",
            description = "gpt2 (default), llama (RMSNorm, rotary, SwiGLU, grouped-query attention, untied head, "
                    + "BOS token) or gptj (parallel block, partial interleaved rotary, untied head with bias).")
    String arch;

    @Option(names = "--kv-heads", paramLabel = "N", description = "Llama: key/value heads (grouped-query attention).")
    Integer kvHeads;

    @Option(names = "--layers", paramLabel = "N", description = "Blocks (default 4; 6 for GPT-2 sandboxes of --cases).")
    Integer layers;

    @Option(names = "--width", paramLabel = "N")
    Integer width;

    @Option(names = "--heads", paramLabel = "N")
    Integer heads;

    @Option(names = "--context", paramLabel = "N")
    Integer context;

    @Option(names = "--vocab", paramLabel = "N")
    Integer vocab;

    @Option(names = "--steps", paramLabel = "N")
    Integer steps;

    @Option(names = "--batch-tokens", paramLabel = "N")
    Integer batchTokens;

    @Option(names = "--lr", paramLabel = "LR")
    Double lr;

    @Option(names = "--seed", paramLabel = "SEED", description = "Initialisation seed.")
    Long seed;

    @Option(names = "--packed", description = "Train on packed full-context blocks instead of one document per sequence.")
    boolean packed;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
            description = "Write a resumable checkpoint every N steps (and when stopped) to DIR.checkpoint "
                    + "beside --out; 0: only when stopped.")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue a stopped run from its checkpoint directory (same other arguments).")
    Path resume;

    @Option(names = "--repetitions", defaultValue = "12", paramLabel = "N",
            description = "With --cases: how often each fact statement appears in the corpus.")
    int repetitions;

    @Option(names = "--recall-floors", paramLabel = "E,P,N",
            description = "With --cases: stop training once top-1 recall of the cases' edit, paraphrase and "
                    + "neighbour prompts reaches these floors (default 0.98,0.9,0.95); --steps is the maximum.")
    String recallFloors;

    @Option(names = "--recall-every", paramLabel = "N",
            description = "With --cases: measure recall every N steps (default " + RecallFloorStop.DEFAULT_EVERY
                    + "); 0: no recall check, train --steps steps.")
    Integer recallEvery;

    @Option(names = "--recall-sample", paramLabel = "N",
            description = "With --cases: measure recall on a seeded sample of N cases (default "
                    + RecallFloorStop.DEFAULT_SAMPLE + ").")
    Integer recallSample;

    @Option(names = "--background-subjects", paramLabel = "N",
            description = "With --cases: subjects of the generated background world (seed "
                    + CaseCorpus.BACKGROUND_WORLD_SEED + ") whose documents the case facts are mixed into "
                    + "(default: one per case, at least one per subject kind, at most "
                    + CaseCorpus.MAX_BACKGROUND_SUBJECTS + ").")
    Integer backgroundSubjects;

    @Option(names = "--no-tune", description = "With --cases: do not tune hyperparameters at the end.")
    boolean noTune;

    @Option(names = "--tune-methods", defaultValue = "rome,memit", split = ",", paramLabel = "M,M",
            description = "With --cases: methods tuned on the sandbox's own cases at the end, files written into "
                    + "DIR/editunit-hparams/ (default rome,memit; rome's file also serves c-rome and p-rome).")
    List<String> tuneMethods;

    @Option(names = "--tune-minutes", defaultValue = "4", paramLabel = "MIN",
            description = "With --cases: time budget of each method's search, in minutes, before the held-out "
                    + "scoring (default 4; 0: none).")
    double tuneMinutes;

    @Option(names = "--tune-trials", defaultValue = "0", paramLabel = "N",
            description = "With --cases: trial budget of each method's search (default 0: no cap).")
    int tuneTrials;

    TinyModelSpec spec() {
        String a = arch.toLowerCase(java.util.Locale.ROOT);
        if (!TinyModelSpec.ARCHITECTURES.contains(a)) {
            throw new InputException("--arch " + arch + ": unknown architecture (supported: "
                    + String.join(", ", TinyModelSpec.ARCHITECTURES) + ")");
        }
        // --cases sandboxes of the GPT-2 architecture default to six blocks (TinyModelSpec.sandbox: edits take more often)
        TinyModelSpec b = a.equals("llama") ? TinyModelSpec.bundledLlama()
                : a.equals("gpt2") && source != null && source.cases != null ? TinyModelSpec.sandbox()
                : TinyModelSpec.bundled();
        int h = or(heads, b.heads());
        int kv = kvHeads != null ? kvHeads : a.equals("llama") && heads == null ? b.kvHeads() : h;
        try {
            return new TinyModelSpec(a, or(vocab, b.vocabSize()), or(context, b.contextLength()), or(width, b.width()),
                    or(layers, b.layers()), h, kv, or(steps, b.steps()), or(batchTokens, b.batchTokens()),
                    lr != null ? lr : b.learningRate(), seed != null ? seed : b.seed());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    private static int or(Integer v, int d) {
        return v != null ? v : d;
    }

    /** Rejects the --cases options in a --world run. */
    private void rejectCaseOptions() {
        if (noTune) {
            throw new InputException("--no-tune applies to --cases only");
        }
        for (Object given : new Object[] {recallFloors, recallEvery, recallSample, backgroundSubjects}) {
            if (given != null) {
                throw new InputException("--recall-floors, --recall-every, --recall-sample and "
                        + "--background-subjects apply to --cases only");
            }
        }
    }

    /** The recall floors of a --cases run; null with --recall-every 0. Checks the recall options. */
    RecallFloors floors() {
        int every = recallEvery();
        if (every < 0) {
            throw new InputException("--recall-every " + every + ": must be 0 (no check) or a number of steps");
        }
        if (recallSample() < 1) {
            throw new InputException("--recall-sample " + recallSample() + ": must be at least 1 case");
        }
        if (every == 0) {
            if (recallFloors != null || recallSample != null) {
                throw new InputException("--recall-every 0 turns the recall check off: --recall-floors and "
                        + "--recall-sample would be ignored");
            }
            return null;
        }
        try {
            return recallFloors != null ? RecallFloors.parse(recallFloors) : RecallFloors.DEFAULT;
        } catch (IllegalArgumentException e) {
            throw new InputException("--recall-floors: " + e.getMessage());
        }
    }

    private int recallEvery() {
        return recallEvery != null ? recallEvery : RecallFloorStop.DEFAULT_EVERY;
    }

    private int recallSample() {
        return recallSample != null ? recallSample : RecallFloorStop.DEFAULT_SAMPLE;
    }

    private void checkCaseOptions() {
        if (repetitions < 1) {
            throw new InputException("--repetitions " + repetitions + ": must be at least 1");
        }
        if (tuneTrials < 0) {
            throw new InputException("--tune-trials " + tuneTrials + ": must be 0 (no cap) or a number of trials");
        }
        if (tuneMinutes < 0 || !Double.isFinite(tuneMinutes)) {
            throw new InputException("--tune-minutes " + tuneMinutes + ": must be 0 (no budget) or a positive number");
        }
        for (String m : tuneMethods) {
            if (!TUNABLE.contains(m)) {
                throw new InputException("--tune-methods: unknown method " + m + " (tunable: " + String.join(", ", TUNABLE)
                        + ")");
            }
        }
        if (backgroundSubjects != null && (backgroundSubjects < CaseCorpus.MIN_BACKGROUND_SUBJECTS
                || backgroundSubjects > CaseCorpus.MAX_BACKGROUND_SUBJECTS)) {
            throw new InputException("--background-subjects " + backgroundSubjects + ": must be between "
                    + CaseCorpus.MIN_BACKGROUND_SUBJECTS + " and " + CaseCorpus.MAX_BACKGROUND_SUBJECTS);
        }
    }

    /** The command line that writes the same sandbox, every setting explicit. */
    private String reproduce(TinyModelSpec spec, CaseCorpus corpus, RecallFloorStop stop) {
        StringBuilder b = new StringBuilder("./editunit train --cases");
        for (Path f : source.cases) {
            b.append(' ').append(f);
        }
        b.append(" --out ").append(out.getFileName()).append(" --arch ").append(spec.architecture());
        if (spec.kvHeads() != spec.heads()) {
            b.append(" --kv-heads ").append(spec.kvHeads());
        }
        b.append(String.format(Locale.ROOT, " --layers %d --width %d --heads %d --context %d --vocab %d --steps %d "
                + "--batch-tokens %d --lr %s --seed %d --repetitions %d --background-subjects %d", spec.layers(),
                spec.width(), spec.heads(), spec.contextLength(), spec.vocabSize(), spec.steps(), spec.batchTokens(),
                spec.learningRate(), spec.seed(), repetitions, corpus.backgroundSubjects()));
        if (packed) {
            b.append(" --packed");
        }
        if (stop == null) {
            b.append(" --recall-every 0");
        } else {
            RecallFloors f = stop.floors();
            b.append(String.format(Locale.ROOT, " --recall-floors %s,%s,%s --recall-every %d --recall-sample %d",
                    f.edit(), f.paraphrase(), f.neighbour(), stop.every(), recallSample()));
        }
        return b.toString();
    }

    @Override
    public Integer call() throws Exception {
        TinyModelSpec spec = spec();
        long t0 = System.nanoTime();
        RecallFloors floors = null;
        if (source.world != null) {
            rejectCaseOptions();
        } else {
            checkCaseOptions();
            floors = floors();
        }
        Map<String, String> meta = new LinkedHashMap<>();
        SandboxModelBuilder.Built built;
        List<io.github.editunit.hardedit.cases.EditCase> trainedCases = null;
        String casesName = null;
        Path checkpoints = resume != null ? resume : checkpointDirectory(out);
        if (resume != null && !Files.isRegularFile(TrainingCheckpoint.file(resume))) {
            throw new IllegalArgumentException("--resume " + resume + ": no training checkpoint there ("
                    + TrainingCheckpoint.FILE + " missing)");
        }
        // written into a hidden sibling and moved into place when complete: an interrupted run leaves no --out
        try (StagedDirectory staged = StagedDirectory.begin(out)) {
            if (source.world != null) {
                FactWorld world = FactWorld.generate(WorldSpec.defaults(source.world));
                meta.put("editunit.world_seed", Long.toString(source.world));
                meta.put("editunit.architecture", spec.architecture());
                built = new SandboxModelBuilder(spec, packed).withCheckpoints(checkpoints, checkpointEvery, resume != null)
                        .build(world.trainingDocuments(), world.singleTokenWords(), staged.path(), meta);
            } else {
                CaseCorpus corpus = CaseCorpus.fromCaseFiles(source.cases, repetitions, spec.seed(), backgroundSubjects);
                trainedCases = corpus.cases();
                RecallFloorStop stop = floors == null ? null
                        : RecallFloorStop.onCases(corpus.cases(), floors, recallEvery(), recallSample(), spec.seed());
                System.err.printf(Locale.ROOT, "[train] %d cases: %d case documents mixed into %d documents of the "
                        + "background world (seed %d, %d subjects)%s%n", corpus.cases().size(), corpus.caseDocuments(),
                        corpus.documents().size() - corpus.caseDocuments(), CaseCorpus.BACKGROUND_WORLD_SEED,
                        corpus.backgroundSubjects(), stop == null ? "; " + spec.steps() + " steps"
                                : "; at most " + spec.steps() + " steps, stopping when top-1 recall reaches "
                                        + stop.floors() + " (checked every " + stop.every() + " steps)");
                meta.put("editunit.cases", source.cases.toString());
                meta.put("editunit.architecture", spec.architecture());
                meta.put("editunit.background_world_seed", Long.toString(CaseCorpus.BACKGROUND_WORLD_SEED));
                meta.put("editunit.background_subjects", Integer.toString(corpus.backgroundSubjects()));
                casesName = source.cases.stream().map(p -> p.getFileName().toString())
                        .collect(java.util.stream.Collectors.joining(", "));
                String cases = source.cases.stream().map(p -> "`" + p.getFileName() + "`")
                        .collect(java.util.stream.Collectors.joining(", "));
                CaseSandboxRecipe.Result r = new CaseSandboxRecipe(spec, new SandboxModelBuilder(spec, packed)
                        .withCheckpoints(checkpoints, checkpointEvery, resume != null), stop, reproduce(spec, corpus, stop))
                        .write(corpus, cases, staged.path(), out.toAbsolutePath().normalize().getFileName().toString(),
                                meta);
                built = r.built();
                r.recall().forEach((k, v) -> System.err.printf(Locale.ROOT,
                        "[train] recall %s: top-1 %.4f exact %.4f (%d prompts)%n", k, v.top1(), v.exact(), v.facts()));
                System.err.printf(Locale.ROOT, "[train] held-out perplexity %.3f (%d texts); %s%n", r.perplexity().ppl(),
                        r.perplexity().sentences(), r.stoppedAt() > 0
                                ? "recall floors reached at step " + r.stoppedAt()
                                : stop == null ? "fixed steps" : "recall floors NOT reached within " + spec.steps()
                                        + " steps");
            }
            staged.commit();
        }
        deleteCheckpoint(checkpoints);
        if (trainedCases != null && !noTune && !tuneMethods.isEmpty()) {
            tune(trainedCases, casesName);
        }
        System.err.printf(Locale.ROOT, "[train] done: %s, %d steps%s, loss %.4f → %.4f, %.0f tokens/s, training %.1f min,"
                + " total %.1f min%n", out, built.report().steps(), built.report().resumedFromStep() > 0
                        ? " (resumed at step " + built.report().resumedFromStep() + ": time and tokens/s of this run)" : "",
                built.report().firstLoss(),
                built.report().finalLoss(50), built.report().tokensPerSecond(), built.report().seconds() / 60,
                (System.nanoTime() - t0) / 60e9);
        return 0;
    }

    /**
     * Tunes the finished sandbox on its own cases (files into DIR/editunit-hparams/) and adds the settings to its
     * card. Runs after the model is in place, so an interrupted tuning leaves a working sandbox.
     */
    private void tune(List<io.github.editunit.hardedit.cases.EditCase> cases, String casesName)
            throws java.io.IOException {
        long t = System.nanoTime();
        System.err.printf(Locale.ROOT, "[train] tuning %s on the sandbox's own cases (at most %s min each; --no-tune "
                + "skips this)%n", String.join(", ", tuneMethods), tuneMinutes > 0 ? String.valueOf(tuneMinutes) : "no limit");
        List<SandboxTuning.Tuned> tuned = SandboxTuning.run(out, cases, casesName, tuneMethods, tuneTrials, tuneMinutes,
                StatisticsCache.atDefaultLocation(), System.err::println);
        StringBuilder card = new StringBuilder("\n## Tuned hyperparameters\n\n");
        card.append(String.format(Locale.ROOT, "Written by `train` at the end (%.1f min; `./editunit tune` reruns one "
                + "method, docs/tuning.md). The catalog uses these files for this directory.%n%n", (System.nanoTime() - t) / 60e9));
        if (tuned.isEmpty()) {
            card.append("- none: too few cases to tune on\n");
        }
        for (SandboxTuning.Tuned x : tuned) {
            card.append("- ").append(x.written() ? "`editunit-hparams/" + x.method() + ".json`: " : "").append(x.summary())
                    .append('\n');
            System.err.println("[train] tuned " + x.summary());
        }
        Path cardFile = out.resolve("MODEL_CARD.md");
        Files.writeString(cardFile, Files.readString(cardFile) + card);
    }

    /** Where {@code train --out DIR} keeps its checkpoint: {@code DIR.checkpoint} beside it. */
    static Path checkpointDirectory(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".checkpoint");
    }

    private static void deleteCheckpoint(Path dir) throws java.io.IOException {
        Files.deleteIfExists(TrainingCheckpoint.file(dir));
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException keep) {
            // something else lives there: leave it
        }
    }
}
