package io.github.editunit.framework.training;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.RunInterruptedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.runtime.Scalars;
import io.github.editunit.framework.model.ParameterStore;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.framework.progress.Progress;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Next-token training with DJL autograd: AdamW (decoupled weight decay on matrices), linear
 * warm-up and cosine decay, global gradient-norm clipping, length-bucketed batches, seeded.
 * Parameters are updated in place in the model's {@link ParameterStore}.
 */
public final class LanguageModelTrainer {

    private final LanguageModel model;
    private final TrainingConfig config;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private int skipped;
    private Path checkpointDir;
    private int checkpointEvery;
    private Path resumeDir;
    private EarlyStop earlyStop;

    public LanguageModelTrainer(LanguageModel model, TrainingConfig config) {
        this.model = model;
        this.config = config;
    }

    /**
     * Writes a {@link TrainingCheckpoint} to {@code dir} every {@code every} steps and when the run
     * is stopped ({@link Interruption}); {@code every <= 0} writes only on a stop.
     */
    public LanguageModelTrainer checkpointTo(Path dir, int every) {
        this.checkpointDir = dir;
        this.checkpointEvery = every;
        return this;
    }

    /** Continues from the checkpoint in {@code dir} (made for the same data and settings). */
    public LanguageModelTrainer resumeFrom(Path dir) {
        this.resumeDir = dir;
        return this;
    }

    /**
     * Asks {@code stop} after every step whether to stop before {@link TrainingConfig#steps()} (which
     * stays the maximum and keeps defining the learning-rate schedule).
     */
    public LanguageModelTrainer stopEarly(EarlyStop stop) {
        this.earlyStop = stop;
        return this;
    }

    /**
     * Trains on the sequences (each at most the model's context; each is trained from position
     * 0, so the model sees texts start).
     *
     * @param onStep called after every step with its 0-based index (e.g. for checkpoints)
     */
    public TrainingReport train(List<int[]> sequences, Progress progress, IntConsumer onStep) {
        DjlRuntime.prepare();
        int context = model.config().contextLength();
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).length > context) {
                throw new IllegalArgumentException("training sequence " + i + " has " + sequences.get(i).length
                        + " tokens, more than the context of " + context);
            }
        }
        LengthBucketedBatches batches = new LengthBucketedBatches(sequences, config.batchTokens(), config.seed());
        ParameterStore params = model.parameters();
        String fingerprint = TrainingCheckpoint.fingerprint(config, model.config().toString(), sequences);
        TrainingCheckpoint.State resume = null;
        if (resumeDir != null) {
            try {
                resume = TrainingCheckpoint.read(resumeDir, params);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!resume.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException(TrainingCheckpoint.file(resumeDir) + " belongs to other training "
                        + "data or settings (fingerprint " + resume.fingerprint().substring(0, 12) + "…, this run "
                        + fingerprint.substring(0, 12) + "…); resume with the same arguments as the stopped run");
            }
            if (resume.step() > config.steps()) {
                throw new IllegalArgumentException(TrainingCheckpoint.file(resumeDir) + " is at step " + resume.step()
                        + ", beyond the " + config.steps() + " steps of this run");
            }
        }
        NDManager state = params.manager().newSubManager();
        for (String n : params.names()) {
            NDArray p = params.get(n);
            if (resume != null) {
                params.set(n, resume.weights().get(n));
            }
            p = params.get(n);
            p.setRequiresGradient(true);
            NDArray m1 = resume != null ? state.create(resume.moments().get(n)[0], p.getShape()) : state.zeros(p.getShape());
            NDArray m2 = resume != null ? state.create(resume.moments().get(n)[1], p.getShape()) : state.zeros(p.getShape());
            moments.put(n, new NDArray[] {m1, m2});
        }
        List<Double> losses = new ArrayList<>();
        long tokens = 0;
        int first = 0;
        if (resume != null) {
            first = resume.step();
            skipped = resume.skipped();
            tokens = resume.tokens();
            losses.addAll(resume.losses());
            for (int s = 0; s < first; s++) {
                batches.next(); // the batch order is seeded: replay it
            }
            progress.advance(first, tokens);
            System.err.printf(Locale.ROOT, "[train] resuming at step %d/%d from %s%n", first, config.steps(),
                    TrainingCheckpoint.file(resumeDir));
        }
        long start = System.nanoTime();
        int done = first;
        long tokensBefore = tokens;
        try {
            for (int step = first; step < config.steps(); step++) {
                Interruption.checkpoint();
                List<int[]> batch = batches.next();
                double[] lossAndCount = step(batch, step);
                losses.add(lossAndCount[0]);
                tokens += (long) lossAndCount[1];
                progress.advance(1, (long) lossAndCount[1]);
                if (step % 50 == 0 || step < 12 || step == config.steps() - 1) {
                    System.err.printf(Locale.ROOT, "[train] step %d/%d loss %.4f lr %.2e epoch %d%n", step + 1,
                            config.steps(), lossAndCount[0], config.learningRateAt(step), batches.epoch());
                }
                done = step + 1;
                if (onStep != null) {
                    onStep.accept(step);
                }
                if (earlyStop != null && done < config.steps() && earlyStop.shouldStop(model, done)) {
                    break;
                }
                if (checkpointDir != null && checkpointEvery > 0 && done % checkpointEvery == 0 && done < config.steps()) {
                    writeCheckpoint(done, tokens, losses, fingerprint);
                }
            }
        } catch (RunInterruptedException e) {
            if (checkpointDir != null) {
                writeCheckpoint(done, tokens, losses, fingerprint);
                throw new RunInterruptedException(e.getMessage() + "; training stopped after step " + done + " of "
                        + config.steps() + ", checkpoint in " + checkpointDir + " (continue with --resume "
                        + checkpointDir + ")");
            }
            throw e;
        } finally {
            for (String n : params.names()) {
                params.get(n).setRequiresGradient(false);
            }
            state.close();
            moments.clear();
        }
        progress.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        double epochs = (double) done / batches.batchesPerEpoch();
        if (skipped > 0) {
            System.err.printf(Locale.ROOT, "[train] %d step(s) skipped because the loss or gradient was not finite%n",
                    skipped);
        }
        return new TrainingReport(done, losses, tokens, seconds, epochs, skipped, first, tokensBefore);
    }

    private double[] step(List<int[]> sequences, int step) {
        ParameterStore params = model.parameters();
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch batch = model.batch(scope, sequences);
            double loss;
            long count;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = model.logits(batch, ForwardHooks.none());
                int t = batch.maxLength();
                NDArray logp = logits.get(":, 0:" + (t - 1) + ", :").logSoftmax(-1);
                NDArray targets = batch.ids().get(":, 1:").expandDims(-1);
                NDArray mask = batch.mask().get(":, 1:").toType(DataType.FLOAT32, false);
                // clamped before masking: a padded target's log-probability can underflow to -inf, and -inf·0 is NaN
                NDArray nll = Scalars.maximum(logp.gather(targets, 2).squeeze(-1), -1e4f).neg().mul(mask);
                count = 0;
                for (int len : batch.lengths()) {
                    count += len - 1;
                }
                NDArray mean = Scalars.div(nll.sum(), (float) Math.max(count, 1));
                gc.backward(mean);
                loss = mean.getFloat();
            }
            double lr = config.learningRateAt(step);
            double clip = clipFactor(params);
            if (!Double.isFinite(loss) || !Double.isFinite(clip)) {
                // a non-finite loss or gradient must never reach the weights: skip the update
                skipped++;
                for (String n : params.names()) {
                    params.get(n).getGradient().set(new NDIndex(":"), 0f);
                }
                return new double[] {loss, count};
            }
            int t = step + 1 - skipped;
            double bc1 = 1 - Math.pow(config.beta1(), t);
            double bc2 = 1 - Math.pow(config.beta2(), t);
            for (String n : params.names()) {
                NDArray p = params.get(n);
                NDArray g = p.getGradient();
                NDArray grad = clip < 1 ? Scalars.mul(g, (float) clip) : g;
                NDArray[] mv = moments.get(n);
                mv[0].muli(Scalars.like(mv[0], (float) config.beta1()))
                        .addi(Scalars.mul(grad, (float) (1 - config.beta1())));
                mv[1].muli(Scalars.like(mv[1], (float) config.beta2()))
                        .addi(Scalars.mul(grad.square(), (float) (1 - config.beta2())));
                NDArray update = Scalars.mul(Scalars.div(mv[0], (float) bc1)
                        .div(Scalars.add(Scalars.div(mv[1], (float) bc2).sqrt(), (float) config.epsilon())), (float) lr);
                if (p.getShape().dimension() >= 2 && config.weightDecay() > 0) {
                    p.muli(Scalars.like(p, (float) (1 - lr * config.weightDecay())));
                }
                p.subi(update);
                params.markChanged(n);
                g.set(new NDIndex(":"), 0f); // a fill, not g − g, which would keep a NaN
            }
            return new double[] {loss, count};
        }
    }

    /** Global-norm clipping factor: {@code min(1, clip / ‖g‖)}. */
    private double clipFactor(ParameterStore params) {
        if (config.gradientClip() <= 0) {
            return 1;
        }
        double sq = 0;
        for (String n : params.names()) {
            sq += params.get(n).getGradient().square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            return Double.NaN;
        }
        return norm > config.gradientClip() ? config.gradientClip() / norm : 1;
    }

    private void writeCheckpoint(int done, long tokens, List<Double> losses, String fingerprint) {
        try {
            TrainingCheckpoint.write(checkpointDir, model.parameters(), moments, done, skipped, tokens, losses,
                    fingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training checkpoint "
                    + TrainingCheckpoint.file(checkpointDir), e);
        }
    }
}
