package io.github.editunit.framework.cli;

import io.github.editunit.framework.storage.StagedDirectory;
import io.github.editunit.framework.training.CaseCorpus;
import io.github.editunit.framework.training.SandboxModelBuilder;
import io.github.editunit.framework.training.TrainingCheckpoint;
import io.github.editunit.framework.training.TinyModelSpec;
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

    @Option(names = "--layers", paramLabel = "N")
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

    TinyModelSpec spec() {
        String a = arch.toLowerCase(java.util.Locale.ROOT);
        if (!TinyModelSpec.ARCHITECTURES.contains(a)) {
            throw new InputException("--arch " + arch + ": unknown architecture (supported: "
                    + String.join(", ", TinyModelSpec.ARCHITECTURES) + ")");
        }
        TinyModelSpec b = a.equals("llama") ? TinyModelSpec.bundledLlama() : TinyModelSpec.bundled();
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

    @Override
    public Integer call() throws Exception {
        TinyModelSpec spec = spec();
        Map<String, String> meta = new LinkedHashMap<>();
        SandboxModelBuilder.Built built;
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
                CaseCorpus corpus = CaseCorpus.fromCaseFiles(source.cases, repetitions, spec.seed());
                meta.put("editunit.cases", source.cases.toString());
                meta.put("editunit.architecture", spec.architecture());
                built = new SandboxModelBuilder(spec, packed).withCheckpoints(checkpoints, checkpointEvery, resume != null)
                        .build(corpus.documents(), corpus.singleTokenWords(), staged.path(), meta);
            }
            staged.commit();
        }
        deleteCheckpoint(checkpoints);
        System.err.printf(Locale.ROOT, "[train] done: %s, loss %.4f → %.4f, %.0f tokens/s, %.1f min%n", out,
                built.report().firstLoss(), built.report().finalLoss(50), built.report().tokensPerSecond(),
                built.report().seconds() / 60);
        return 0;
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
