package io.github.editunit.framework.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.framework.model.TokenCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The engine behind every metric here: for many (prompt, target) pairs, one forward pass per
 * batch over {@code prompt ids + encode(" " + target)}, reading the target positions'
 * log-probabilities and argmax tokens. Results do not depend on the batch size (right padding
 * with a causal mask).
 *
 * <p>The prompt starts the model input: it is encoded with {@link TokenCodec#encodeInput}, so a
 * tokenizer that adds a BOS puts it first and the target positions move by its length. An empty
 * prompt is the tokenizer's {@link TokenCodec#startOfText()} (its BOS, or the end-of-text token
 * when it has none). Sequences longer than the context keep their last tokens (the prompt is cut
 * on the left, after the BOS, which stays first; a target longer than the context is an error).
 */
public final class TeacherForcing {

    /** Default pairs per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final LanguageModel model;
    private final int batchSize;

    public TeacherForcing(LanguageModel model) {
        this(model, DEFAULT_BATCH_SIZE);
    }

    public TeacherForcing(LanguageModel model, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        this.model = model;
        this.batchSize = batchSize;
    }

    public LanguageModel model() {
        return model;
    }

    /** Token ids of {@code " " + target}. */
    public int[] targetIds(String target) {
        int[] t = model.tokenizer().encode(" " + target);
        if (t.length == 0) {
            throw new IllegalArgumentException("target \"" + target + "\" tokenises to nothing");
        }
        return t;
    }

    /**
     * Prompt ids as the model input starts: the sequence prefix (BOS, if any) then the prompt's
     * tokens; an empty prompt is {@link TokenCodec#startOfText()}.
     */
    public int[] promptIds(String prompt) {
        TokenCodec tok = model.tokenizer();
        return tok.encode(prompt).length == 0 ? tok.startOfText() : tok.encodeInput(prompt);
    }

    /** Scores one pair. */
    public TeacherForcedScore score(PromptTarget pair) {
        return score(List.of(pair)).get(0);
    }

    /** Scores all pairs, {@code batchSize} pairs per forward pass, in input order. */
    public List<TeacherForcedScore> score(List<PromptTarget> pairs) {
        List<int[]> prompts = new ArrayList<>(pairs.size());
        List<int[]> targets = new ArrayList<>(pairs.size());
        for (PromptTarget p : pairs) {
            prompts.add(promptIds(p.prompt()));
            targets.add(targetIds(p.target()));
        }
        return scoreIds(prompts, targets);
    }

    /** Scores token-id pairs (prompt non-empty, target non-empty). */
    public List<TeacherForcedScore> scoreIds(List<int[]> prompts, List<int[]> targets) {
        if (prompts.size() != targets.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + targets.size() + " targets");
        }
        List<TeacherForcedScore> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += batchSize) {
            int to = Math.min(prompts.size(), from + batchSize);
            out.addAll(batch(prompts.subList(from, to), targets.subList(from, to)));
        }
        return out;
    }

    private static boolean startsWith(int[] ids, int[] prefix) {
        return prefix.length > 0 && ids.length >= prefix.length
                && Arrays.equals(ids, 0, prefix.length, prefix, 0, prefix.length);
    }

    private List<TeacherForcedScore> batch(List<int[]> prompts, List<int[]> targets) {
        int context = model.config().contextLength();
        int[] bos = model.hasTokenizer() ? model.tokenizer().sequencePrefix() : new int[0];
        List<int[]> seqs = new ArrayList<>(prompts.size());
        int rows = 0;
        for (int i = 0; i < prompts.size(); i++) {
            int[] p = prompts.get(i);
            int[] t = targets.get(i);
            if (p.length == 0 || t.length == 0) {
                throw new IllegalArgumentException("empty prompt or target ids");
            }
            int keep = startsWith(p, bos) && p.length > bos.length ? bos.length : 0; // the BOS stays first
            if (t.length >= context - keep) {
                throw new IllegalArgumentException("target of " + t.length + " tokens does not fit the context of "
                        + context + (keep > 0 ? " after the BOS" : ""));
            }
            int[] s = new int[p.length + t.length];
            System.arraycopy(p, 0, s, 0, p.length);
            System.arraycopy(t, 0, s, p.length, t.length);
            if (s.length > context) {
                int[] cut = new int[context];
                System.arraycopy(s, 0, cut, 0, keep);
                System.arraycopy(s, s.length - (context - keep), cut, keep, context - keep);
                s = cut;
            }
            seqs.add(s);
            rows += t.length;
        }
        int[] b = new int[rows];
        int[] pos = new int[rows];
        int[] tok = new int[rows];
        int r = 0;
        for (int i = 0; i < seqs.size(); i++) {
            int[] t = targets.get(i);
            int start = seqs.get(i).length - t.length; // index of the first target token
            for (int j = 0; j < t.length; j++, r++) {
                b[r] = i;
                pos[r] = start + j - 1; // logits at pos predict token pos + 1
                tok[r] = t[j];
            }
        }
        float[] logProbs;
        long[] argmax;
        float[] rowMax;
        try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
            nd.suppressNotUsedWarning();
            TokenBatch batch = model.batch(scope, seqs);
            NDArray logits = model.logits(batch, ForwardHooks.none());
            NDArray logp = ForwardHooks.gatherRows(logits, b, pos).toType(DataType.FLOAT32, false).logSoftmax(-1);
            NDArray idx = scope.create(tok).toType(DataType.INT64, false).expandDims(-1);
            logProbs = logp.gather(idx, 1).squeeze(-1).toFloatArray();
            argmax = logp.argMax(1).toType(DataType.INT64, false).toLongArray();
            rowMax = logp.max(new int[] {1}).toFloatArray();
        }
        List<TeacherForcedScore> out = new ArrayList<>(seqs.size());
        r = 0;
        for (int[] t : targets) {
            float[] lp = new float[t.length];
            int[] am = new int[t.length];
            for (int j = 0; j < t.length; j++, r++) {
                lp[j] = logProbs[r];
                am[j] = Float.isFinite(rowMax[r]) ? (int) argmax[r] : -1;
            }
            out.add(new TeacherForcedScore(t.clone(), lp, am));
        }
        return out;
    }
}
