package io.github.editunit.framework.editing;

import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.runtime.NativeHeap;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.editunit.framework.model.AttentionPrefix;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenBatch;
import io.github.editunit.framework.runtime.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the value an edit should write (ROME's v*, MEMIT's z): a residual δ added to the
 * activation at {@code site} at the subject's last token of every rewriting prompt, optimised
 * with Adam to minimise
 * {@code mean_j NLL(target | ctx_j(prompt)) + kl·KL(P_δ ‖ P_0)("{s} is a") + wd·‖δ‖/‖v_init‖²},
 * with {@code ‖δ‖ ≤ clamp·‖v_init‖} after every step. Teacher forcing: each prompt is followed
 * by the target tokens but the last, so every target token is predicted.
 *
 * <p>Several requests are searched together ({@link #optimiseAll}): one forward and one backward pass per step over
 * all their prompts, each request's δ injected only into its own prompts, so each request's loss depends on its own δ
 * alone and its gradient, Adam state, norm cap and early stop are its own, as in a search of that request by itself
 * (up to float rounding: a batch pads to its longest prompt). A request that stops leaves the batch. The final
 * norm, the LM head and the log-softmax run only on the rows the loss reads ({@link ForwardHooks#keepRowsAfter}).
 * The positions before each prompt's subject-last token do not depend on δ: their keys and values are recorded
 * once per search and every step runs only the later positions ({@link AttentionPrefix}).
 */
public final class ValueOptimizer {

    /**
     * Settings of the search.
     *
     * @param steps at most this many iterations (the last only evaluates)
     * @param learningRate Adam learning rate
     * @param weightDecay factor of {@code ‖δ‖ / ‖v_init‖²}
     * @param klFactor factor of the essence-drift KL term
     * @param clampNormFactor maximum {@code ‖δ‖ / ‖v_init‖}
     * @param earlyStopLoss stop when the loss falls below this
     */
    public record Settings(int steps, double learningRate, double weightDecay, double klFactor,
            double clampNormFactor, double earlyStopLoss) {}

    /**
     * The found value.
     *
     * @param init the activation at the site, subject-last token of the bare prompt, before δ
     * @param delta the optimised residual
     * @param losses the loss at every evaluated iteration
     * @param clamped whether the final δ sits on the norm cap
     * @param targetLogProb mean log-probability of the target tokens at the end (bare prompt)
     * @param numericEvents non-finite steps that were recovered by repeating them (normally empty)
     */
    public record Result(double[] init, double[] delta, List<Double> losses, boolean clamped, double targetLogProb,
            List<String> numericEvents) {
        public double[] target() {
            return Vectors.add(init, delta);
        }
    }

    /**
     * The LM head runs on at least this many rows. The CPU matrix product rounds some rows differently when it has
     * only a few (measured on the bundled model: with fewer than 16 rows the logits of a MEMIT search drifted from
     * the full pass's by rounding, and δ by up to 1e-4 after 40 Adam steps; from 16 rows on, bit-identical); the
     * search repeats row 0 up to this count to stay on the path the full pass takes.
     */
    static final int MIN_HEAD_ROWS = 32;

    private final LanguageModel model;
    private final SubjectLocator locator;

    public ValueOptimizer(LanguageModel model) {
        this.model = model;
        this.locator = new SubjectLocator(model.tokenizer());
    }

    /** The value of one request. */
    public Result optimise(EditRequest request, List<String> contextTemplates, HookPoint site, Settings s) {
        if (EditPath.current() == EditPath.REFERENCE) {
            return new ReferenceValueSearch(model).optimise(request, contextTemplates, site, s);
        }
        return optimiseAll(List.of(request), contextTemplates, site, s).get(0);
    }

    /**
     * The values of several requests, searched together (in the order of {@code requests}); with
     * {@link EditPath#REFERENCE} one search after another, as before.
     */
    public List<Result> optimiseAll(List<EditRequest> requests, List<String> contextTemplates, HookPoint site,
            Settings s) {
        return optimiseAll(requests, contextTemplates, site, s, SearchMemory.budgetBytes(model.parameters().byteSize()));
    }

    /** As {@link #optimiseAll(List, List, HookPoint, Settings)} within {@code budget} bytes ({@link SearchMemory}). */
    List<Result> optimiseAll(List<EditRequest> requests, List<String> contextTemplates, HookPoint site, Settings s,
            long budget) {
        if (EditPath.current() == EditPath.REFERENCE) {
            ReferenceValueSearch reference = new ReferenceValueSearch(model);
            List<Result> out = new ArrayList<>(requests.size());
            for (EditRequest r : requests) {
                out.add(reference.optimise(r, contextTemplates, site, s));
            }
            return out;
        }
        int width = site.site() == HookPoint.Site.MLP_KEY ? model.config().innerWidth() : model.config().width();
        List<Prompts> prompts = new ArrayList<>(requests.size());
        for (EditRequest r : requests) {
            prompts.add(prompts(r, contextTemplates));
        }
        int count = requests.size();
        double[][] delta = new double[count][width];
        double[][] m1 = new double[count][width];
        double[][] m2 = new double[count][width];
        double[][] init = new double[count][];
        double[] initNorm = new double[count];
        float[][] klReference = new float[count][];
        List<List<Double>> losses = new ArrayList<>();
        List<List<String>> events = new ArrayList<>();
        double[] targetLogProb = new double[count];
        for (int i = 0; i < count; i++) {
            losses.add(new ArrayList<>());
            events.add(new ArrayList<>());
            targetLogProb[i] = Double.NaN;
        }
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            active.add(i);
        }
        HookPoint lastBlock = HookPoint.blockOutput(model.config().layers() - 1);
        List<Part> units = parts(prompts, site, lastBlock, width, budget);
        Chunking chunking = chunk(units, site, lastBlock, width, budget);
        int[] chunkOf = chunking.chunkOf();
        if (chunking.splitByBudget(requests.size())) {
            System.err.printf(java.util.Locale.ROOT, "[value search] %d request(s) in %d part(s), %d chunk(s); largest"
                    + " chunk's gradient pass ≈ %d MiB, recordings ≈ %d MiB (%s); budget %d MiB (%s)%n", count,
                    units.size(), chunking.chunks(), chunking.largestPassBytes() >> 20,
                    chunking.recordingBytes() >> 20, chunking.keepRecordings() ? "kept" : "recorded every step",
                    budget >> 20, SearchMemory.PROPERTY);
        }
        try (NDManager search = model.newScope()) { // the attention prefixes live as long as the search
            Prefixes prefixes = new Prefixes(search, chunking.keepRecordings());
            for (int it = 0; it < s.steps() && !active.isEmpty(); it++) {
                Interruption.checkpoint();
                boolean last = it == s.steps() - 1;
                boolean first = it == 0;
                List<Integer> stepping = active;
                java.util.function.Supplier<Step> run = () -> runStep(stepping, units, delta, first ? null : klReference,
                        initNorm, site, lastBlock, width, last, s, prefixes, chunkOf);
                Step step = run.get();
                String[] bad = step.nonFinite();
                if (anyNonNull(bad)) {
                    // documented rule (docs/numerics.md): a non-finite step is computed once more from the same δ; if
                    // it is non-finite again the search fails with a named error
                    Step again = run.get();
                    String[] badAgain = again.nonFinite();
                    for (int a = 0; a < bad.length; a++) {
                        if (bad[a] != null && badAgain[a] != null) {
                            throw new NonFiniteValueException(requests.get(active.get(a)), "value search", badAgain[a], it,
                                    s.steps(), "loss " + again.loss()[a]
                                            + "; the step was repeated once and was non-finite again");
                        }
                    }
                    for (int a = 0; a < bad.length; a++) {
                        if (bad[a] != null) {
                            events.get(active.get(a)).add("value search step " + it + ": non-finite " + bad[a] + " (loss "
                                    + step.loss()[a] + "); step repeated");
                        }
                    }
                    step = again;
                }
                if (first) {
                    for (int a = 0; a < active.size(); a++) {
                        int i = active.get(a);
                        if (!Vectors.allFinite(step.init()[a])) {
                            throw new NonFiniteValueException(requests.get(i), "value search", "activation v_init at " + site,
                                    0, s.steps(), "the unedited model's activation is not finite");
                        }
                        init[i] = step.init()[a];
                        initNorm[i] = Math.max(Vectors.norm(init[i]), 1e-12);
                        klReference[i] = step.klReference()[a];
                    }
                }
                List<Integer> next = new ArrayList<>();
                for (int a = 0; a < active.size(); a++) {
                    int i = active.get(a);
                    double loss = step.loss()[a];
                    losses.get(i).add(loss);
                    targetLogProb[i] = step.targetLogProb()[a];
                    if (loss < s.earlyStopLoss() || last) {
                        continue;
                    }
                    double[] g = step.gradient()[a];
                    adam(delta[i], g, m1[i], m2[i], it + 1, s.learningRate());
                    double maxNorm = s.clampNormFactor() * initNorm[i];
                    double dn = Vectors.norm(delta[i]);
                    if (dn > maxNorm) {
                        for (int j = 0; j < width; j++) {
                            delta[i][j] *= maxNorm / dn;
                        }
                    }
                    if (!Vectors.allFinite(delta[i])) {
                        throw new NonFiniteValueException(requests.get(i), "value search", "δ after the Adam update", it,
                                s.steps(), "gradient norm " + Vectors.norm(g));
                    }
                    next.add(i);
                }
                active = next;
            }
        } finally {
            NativeHeap.trim(); // the search's activations are freed: give their pages back before the next phase
        }
        List<Result> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean clamped = Vectors.norm(delta[i]) >= s.clampNormFactor() * initNorm[i] * (1 - 1e-6);
            out.add(new Result(init[i], delta[i], losses.get(i), clamped, targetLogProb[i], events.get(i)));
        }
        return out;
    }

    /**
     * Assigns every request its chunk (see {@link SearchMemory}): requests whose prompts pad to one length, in request
     * order, as many per chunk as the budget holds (at least one); chunk ids ascend with the length. Chunks are fixed
     * for the whole search (a request that stops leaves its chunk), so each chunk's recorded prefix serves all its
     * steps. Keeps the recordings across steps when all chunks' recordings together take at most half the budget, and
     * then packs the chunks' passes into the rest (kept recordings are resident beside every pass); else each step
     * records its own, and a chunk's pass and recording share the budget.
     */
    private Chunking chunk(List<Part> units, HookPoint site, HookPoint lastBlock, int width, long budget) {
        long[] pass = new long[units.size()];
        long[] recording = new long[units.size()];
        long recordings = 0;
        java.util.Map<Integer, List<Integer>> byLength = new java.util.TreeMap<>();
        for (int i = 0; i < units.size(); i++) {
            BatchStep one = new BatchStep(List.of(units.get(i)), site, lastBlock, width);
            pass[i] = one.gradientPassBytes();
            recording[i] = one.recordingBytes();
            recordings += recording[i];
            byLength.computeIfAbsent(units.get(i).prompts().length(), k -> new ArrayList<>()).add(i);
        }
        // kept recordings stay resident beside every chunk's pass, so they are kept only while they leave at least half
        // the budget to the passes, and the passes are packed into what they leave
        boolean keep = recordings <= budget / 2;
        long limit = keep ? budget - recordings : budget;
        int[] chunkOf = new int[units.size()];
        int next = 0;
        for (List<Integer> group : byLength.values()) {
            long used = 0;
            for (int g = 0; g < group.size(); g++) {
                int i = group.get(g);
                long cost = keep ? pass[i] : pass[i] + recording[i];
                if (g > 0 && used + cost > limit) {
                    next++;
                    used = 0;
                }
                chunkOf[i] = next;
                used += cost;
            }
            next++;
        }
        java.util.Map<Integer, List<Part>> byChunk = new java.util.TreeMap<>();
        for (int i = 0; i < units.size(); i++) {
            byChunk.computeIfAbsent(chunkOf[i], k -> new ArrayList<>()).add(units.get(i));
        }
        long largest = 0;
        for (List<Part> members : byChunk.values()) {
            largest = Math.max(largest, new BatchStep(members, site, lastBlock, width).gradientPassBytes());
        }
        return new Chunking(chunkOf, keep, recordings, units.size(), largest, byLength.size());
    }

    /**
     * The units a search runs: each request whole, or, when the gradient pass of its prompts alone (with their
     * recording) exceeds the budget, in parts of consecutive context templates (as many as the budget needs, at most
     * one template each), each with the KL prompt (GPT-2 XL: one ROME request's pass holds ≈ 1.7 GB of activations).
     * A part's loss is its share of the request's: the negative log-likelihood of its own targets over the request's
     * target count; the first part also carries the KL and weight-decay terms and v_init (template 0). The request's
     * loss and gradient are the sums over its parts, so a split search differs from a whole one by float32 rounding
     * only (the sums are ordered otherwise and each part pads to its own length); a request that fits is computed
     * exactly as before.
     */
    private List<Part> parts(List<Prompts> prompts, HookPoint site, HookPoint lastBlock, int width, long budget) {
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Prompts p = prompts.get(i);
            Part whole = new Part(i, p, p.targetTok().length, true, true);
            BatchStep one = new BatchStep(List.of(whole), site, lastBlock, width);
            long cost = one.gradientPassBytes() + one.recordingBytes();
            int templates = p.templates();
            int k = cost <= budget || templates <= 1 ? 1 : (int) Math.min(templates, (cost + budget - 1) / budget);
            if (k == 1) {
                out.add(whole);
                continue;
            }
            for (int r = 0; r < k; r++) {
                out.add(new Part(i, p.templates(r * templates / k, (r + 1) * templates / k), p.targetTok().length,
                        false, r == 0));
            }
        }
        return out;
    }

    /**
     * A unit of the search: request {@code request}'s prompts, or part of them ({@link #parts}).
     *
     * @param divisor the request's target count (the part's NLL is a share of the request's mean)
     * @param whole whether these are all of the request's prompts
     * @param primary whether this unit carries the KL and decay terms and v_init (the whole request or its first part)
     */
    private record Part(int request, Prompts prompts, int divisor, boolean whole, boolean primary) {}

    /**
     * How a search of {@code requests} is split under {@code budgetBytes} (see {@link SearchMemory}).
     *
     * @param chunkOf per unit (request or part of one, {@link #parts}) its chunk
     * @param keepRecordings whether the chunks' recorded prefixes are kept across steps
     * @param recordingBytes the estimated bytes of all chunks' recordings
     * @param units the search's units: its requests, or more when some are split into parts ({@link #parts})
     * @param largestPassBytes the estimated gradient pass of the costliest chunk (all its units in one batch)
     * @param lengths the number of distinct prompt lengths (every search runs at least one chunk per length)
     */
    record Chunking(int[] chunkOf, boolean keepRecordings, long recordingBytes, int units, long largestPassBytes,
            int lengths) {
        int chunks() {
            return Arrays.stream(chunkOf).max().orElse(-1) + 1;
        }

        /** Whether the budget split a search of {@code requests}: more chunks than lengths, parts, or no kept recordings. */
        boolean splitByBudget(int requests) {
            return chunks() > lengths || units > requests || !keepRecordings;
        }
    }

    /** The chunks a search of {@code requests} runs in under {@code budgetBytes}. */
    Chunking chunking(List<EditRequest> requests, List<String> contextTemplates, HookPoint site, long budgetBytes) {
        int width = site.site() == HookPoint.Site.MLP_KEY ? model.config().innerWidth() : model.config().width();
        List<Prompts> prompts = new ArrayList<>(requests.size());
        for (EditRequest r : requests) {
            prompts.add(prompts(r, contextTemplates));
        }
        HookPoint lastBlock = HookPoint.blockOutput(model.config().layers() - 1);
        return chunk(parts(prompts, site, lastBlock, width, budgetBytes), site, lastBlock, width, budgetBytes);
    }

    /**
     * The attention prefixes of the search's chunks: the positions before each prompt's subject-last token are
     * computed once per search, not once per step, when all chunks' recordings fit the memory budget (kept in the
     * search's manager); otherwise once per step and chunk, in the step's manager. A chunk is recorded when it first
     * runs; when requests have left it, the rows of the others are taken from that recording.
     */
    private final class Prefixes {
        private final NDManager search;
        private final boolean keep;
        private final java.util.Map<Integer, Recorded> byChunk = new java.util.HashMap<>();
        private final java.util.Map<List<Integer>, java.util.Optional<AttentionPrefix>> continuations =
                new java.util.HashMap<>();

        Prefixes(NDManager search, boolean keep) {
            this.search = search;
            this.keep = keep;
        }

        /**
         * The continuation for {@code step}'s requests ({@code members}, all of chunk {@code chunk}); a recording not
         * kept lives in {@code stepScope}.
         */
        AttentionPrefix of(int chunk, List<Integer> members, BatchStep step, List<Prompts> prompts,
                NDManager stepScope) {
            if (!keep) {
                return step.hasPrefix() ? step.continuation(stepScope, step.record(stepScope)) : null;
            }
            return continuations.computeIfAbsent(List.copyOf(members), k -> {
                if (!step.hasPrefix()) {
                    return java.util.Optional.empty();
                }
                Recorded r = byChunk.get(chunk);
                if (r == null) {
                    r = new Recorded(List.copyOf(members), step.record(search));
                    byChunk.put(chunk, r);
                    return java.util.Optional.of(step.continuation(search, r.prefix()));
                }
                java.util.Map<Integer, Integer> firstRow = new java.util.HashMap<>();
                int row = 0;
                for (int i : r.members()) {
                    firstRow.put(i, row);
                    row += prompts.get(i).seqs().size();
                }
                long[] rows = new long[step.sequences()];
                int at = 0;
                for (int i : members) {
                    int from = firstRow.get(i);
                    for (int q = 0; q < prompts.get(i).seqs().size(); q++) {
                        rows[at++] = from + q;
                    }
                }
                return java.util.Optional.of(step.continuation(search, r.prefix().rows(search, rows)));
            }).orElse(null);
        }
    }

    /** A group's recording and the requests it holds, in its batch order. */
    private record Recorded(List<Integer> members, AttentionPrefix prefix) {}


    /**
     * One step of the active requests (results in the order of {@code active}). Requests are batched by their chunk:
     * one length their own prompts pad to, so every sequence is computed at the same padded length as in a search of
     * its request alone (the padding length changes the rounding of the attention), and as many as the memory budget
     * holds.
     */
    private Step runStep(List<Integer> active, List<Part> units, double[][] delta, float[][] klReference,
            double[] initNorm, HookPoint site, HookPoint lastBlock, int width, boolean last, Settings s,
            Prefixes prefixes, int[] chunkOf) {
        java.util.Map<Integer, Integer> slot = new java.util.HashMap<>(); // request -> its index in active
        for (int a = 0; a < active.size(); a++) {
            slot.put(active.get(a), a);
        }
        java.util.Map<Integer, List<Integer>> byChunk = new java.util.TreeMap<>();
        for (int u = 0; u < units.size(); u++) {
            if (slot.containsKey(units.get(u).request())) {
                byChunk.computeIfAbsent(chunkOf[u], k -> new ArrayList<>()).add(u);
            }
        }
        List<Prompts> unitPrompts = units.stream().map(Part::prompts).toList();
        int count = active.size();
        Step out = new Step(new double[count], new double[count], new double[count][], new double[count][],
                new float[count][]);
        boolean anyGradient = false;
        for (java.util.Map.Entry<Integer, List<Integer>> chunk : byChunk.entrySet()) {
            List<Integer> group = chunk.getValue();
            List<Part> members = new ArrayList<>(group.size());
            double[][] groupDelta = new double[group.size()][];
            float[][] groupReference = klReference == null ? null : new float[group.size()][];
            double[] groupInitNorm = new double[group.size()];
            for (int g = 0; g < group.size(); g++) {
                Part unit = units.get(group.get(g));
                int i = unit.request();
                members.add(unit);
                groupDelta[g] = delta[i];
                groupInitNorm[g] = initNorm[i];
                if (groupReference != null) {
                    groupReference[g] = klReference[i];
                }
            }
            BatchStep batch = new BatchStep(members, site, lastBlock, width);
            Step part;
            try (NDManager stepScope = model.newScope()) { // a prefix recorded for this step only
                part = batch.run(groupDelta, groupReference, groupInitNorm, last, s,
                        prefixes.of(chunk.getKey(), group, batch, unitPrompts, stepScope));
            }
            for (int g = 0; g < group.size(); g++) {
                Part unit = members.get(g);
                int a = slot.get(unit.request());
                double[] gradient = part.gradient() != null ? part.gradient()[g] : null;
                if (unit.whole()) {
                    out.loss()[a] = part.loss()[g];
                    out.targetLogProb()[a] = part.targetLogProb()[g];
                    out.gradient()[a] = gradient;
                } else {
                    // a part's share of the request's loss and gradient, summed over its parts
                    out.loss()[a] += part.loss()[g];
                    out.targetLogProb()[a] += part.targetLogProb()[g];
                    if (gradient != null) {
                        out.gradient()[a] = out.gradient()[a] == null ? gradient : Vectors.add(out.gradient()[a], gradient);
                    }
                }
                anyGradient |= gradient != null;
                if (part.init() != null && unit.primary()) {
                    out.init()[a] = part.init()[g];
                    out.klReference()[a] = part.klReference()[g];
                }
            }
        }
        return anyGradient ? out : new Step(out.loss(), out.targetLogProb(), null, out.init(), out.klReference());
    }

    private static boolean anyNonNull(String[] a) {
        for (String x : a) {
            if (x != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * One request's prompts: the rewriting prompts (one per context template, followed by the target but its last
     * token) and the KL prompt last, with the subject-last positions and the (sequence, position, token) of every
     * target prediction.
     */
    public record Prompts(List<int[]> seqs, int[] lookup, int[] targetSeq, int[] targetPos, long[] targetTok) {
        int templates() {
            return seqs.size() - 1;
        }

        /**
         * The rewriting prompts of context templates {@code from} to {@code to - 1} and the KL prompt, with their
         * targets (a part of a split request, {@link ValueOptimizer#parts}).
         */
        Prompts templates(int from, int to) {
            List<int[]> s = new ArrayList<>(seqs.subList(from, to));
            s.add(seqs.get(seqs.size() - 1));
            int[] l = new int[to - from + 1];
            System.arraycopy(lookup, from, l, 0, to - from);
            l[to - from] = lookup[lookup.length - 1];
            int n = 0;
            for (int q : targetSeq) {
                n += q >= from && q < to ? 1 : 0;
            }
            int[] ts = new int[n];
            int[] tp = new int[n];
            long[] tt = new long[n];
            for (int c = 0, at = 0; c < targetSeq.length; c++) {
                if (targetSeq[c] >= from && targetSeq[c] < to) {
                    ts[at] = targetSeq[c] - from;
                    tp[at] = targetPos[c];
                    tt[at++] = targetTok[c];
                }
            }
            return new Prompts(s, l, ts, tp, tt);
        }

        /** The length the prompts pad to in a batch of their own. */
        int length() {
            int max = 0;
            for (int[] q : seqs) {
                max = Math.max(max, q.length);
            }
            return max;
        }
    }

    /**
     * The token ids of one request's search as the fast path batches them: the rewriting prompts (one per context
     * template, teacher-forced) and the KL prompt last, the subject-last position of each, and every target
     * prediction as (prompt, position, token). For peers that run the same search on the same inputs.
     */
    public Prompts layout(EditRequest request, List<String> contextTemplates) {
        return prompts(request, contextTemplates);
    }

    private Prompts prompts(EditRequest request, List<String> contextTemplates) {
        int[] target = locator.targetIds(request.targetNew());
        int[] forcing = SubjectLocator.withoutLast(target);
        List<int[]> seqs = new ArrayList<>();
        int n = contextTemplates.size();
        int[] lookup = new int[n + 1];
        int[] promptLengths = new int[n];
        String promptTemplate = request.template();
        for (int j = 0; j < n; j++) {
            SubjectLocator.Located loc = locator.locate(contextTemplates.get(j).replace("{}", promptTemplate),
                    request.subject(), forcing);
            seqs.add(loc.ids());
            lookup[j] = loc.subjectLast();
            promptLengths[j] = loc.ids().length - forcing.length;
        }
        SubjectLocator.Located kl = locator.locate("{} is a", request.subject(), new int[0]);
        seqs.add(kl.ids());
        lookup[n] = kl.subjectLast();
        int context = model.config().contextLength();
        for (int[] q : seqs) {
            if (q.length > context) {
                throw new IllegalArgumentException("case " + request.id() + ": rewriting prompt of " + q.length
                        + " tokens exceeds the model's context of " + context);
            }
        }
        int k = n * target.length;
        int[] tb = new int[k];
        int[] tp = new int[k];
        long[] tt = new long[k];
        for (int j = 0, c = 0; j < n; j++) {
            for (int t = 0; t < target.length; t++, c++) {
                tb[c] = j;
                tp[c] = promptLengths[j] - 1 + t;
                tt[c] = target[t];
            }
        }
        return new Prompts(seqs, lookup, tb, tp, tt);
    }

    /**
     * One evaluated step of the requests in the batch (in batch order): losses, target log-probabilities and (for the
     * requests that go on) gradients of δ; at the first step also v_init and the KL reference distribution.
     */
    private record Step(double[] loss, double[] targetLogProb, double[][] gradient, double[][] init,
            float[][] klReference) {
        /** Per request the first non-finite quantity of this step, or null. */
        String[] nonFinite() {
            String[] bad = new String[loss.length];
            for (int a = 0; a < loss.length; a++) {
                if (!Double.isFinite(loss[a])) {
                    bad[a] = "loss";
                } else if (gradient != null && gradient[a] != null && !Vectors.allFinite(gradient[a])) {
                    bad[a] = "gradient of δ";
                }
            }
            return bad;
        }
    }

    /** The batch layout of one step: the active requests' prompts one after another. */
    private final class BatchStep {
        private final List<int[]> seqs = new ArrayList<>();
        private final int[] injectBatch;
        private final int[] injectPos;
        private final int[] injectRow;
        private final int[] initBatch;
        private final int[] initPos;
        private final int[] keptBatch;
        private final int[] keptPos;
        private final long[] targetTok;
        private final int[] targetFrom; // request a's target rows are targetFrom[a] .. targetFrom[a + 1] − 1
        private final int[] targetCount; // the divisor of request a's NLL: all its targets, also for a part
        private final boolean[] whole; // member a holds all of its request's prompts
        private final boolean[] primary; // member a carries its request's KL and decay terms
        private final int targets;
        private final int count;
        private final HookPoint site;
        private final HookPoint lastBlock;
        private final int width;
        private final int[] split; // per sequence: the first position δ reaches (no earlier one is recomputed)

        BatchStep(List<Part> members, HookPoint site, HookPoint lastBlock, int width) {
            this.site = site;
            this.lastBlock = lastBlock;
            this.width = width;
            this.count = members.size();
            int seqCount = 0;
            int targetRows = 0;
            for (Part m : members) {
                seqCount += m.prompts().seqs().size();
                targetRows += m.prompts().targetTok().length;
            }
            this.targets = targetRows;
            injectBatch = new int[seqCount];
            injectPos = new int[seqCount];
            injectRow = new int[seqCount];
            initBatch = new int[count];
            initPos = new int[count];
            // rows beyond the loss's repeat its row 0, computed and ignored (see MIN_HEAD_ROWS)
            int keptRows = Math.max(targetRows + count, MIN_HEAD_ROWS);
            keptBatch = new int[keptRows];
            keptPos = new int[keptRows];
            targetTok = new long[targetRows];
            targetFrom = new int[count + 1];
            targetCount = new int[count];
            whole = new boolean[count];
            primary = new boolean[count];
            int b = 0;
            int row = 0;
            for (int a = 0; a < count; a++) {
                Prompts p = members.get(a).prompts();
                whole[a] = members.get(a).whole();
                primary[a] = members.get(a).primary();
                int base = b;
                targetFrom[a] = row;
                for (int j = 0; j < p.seqs().size(); j++, b++) {
                    seqs.add(p.seqs().get(j));
                    injectBatch[b] = b;
                    injectPos[b] = p.lookup()[j];
                    injectRow[b] = a;
                }
                initBatch[a] = base;
                initPos[a] = p.lookup()[0];
                for (int c = 0; c < p.targetTok().length; c++, row++) {
                    keptBatch[row] = base + p.targetSeq()[c];
                    keptPos[row] = p.targetPos()[c];
                    targetTok[row] = p.targetTok()[c];
                }
                targetCount[a] = members.get(a).divisor();
                // the KL prompt's row at the subject's last token, after all target rows
                keptBatch[targetRows + a] = base + p.templates();
                keptPos[targetRows + a] = p.lookup()[p.templates()];
            }
            targetFrom[count] = targetRows;
            // the rows beyond the loss's repeat its first row: left at (0, 0) they made the first prompt's split 0, so
            // the whole batch was computed from position 0 with gradients instead of from the subjects on (GPT-2 XL:
            // a tail batch of 25 positions instead of about 10, 2.5 times the activations of a step)
            for (int r = targetRows + count; r < keptRows; r++) {
                keptBatch[r] = keptBatch[0];
                keptPos[r] = keptPos[0];
            }
            split = new int[seqs.size()];
            for (int q = 0; q < split.length; q++) {
                split[q] = injectPos[q];
            }
            for (int r = 0; r < keptBatch.length; r++) {
                split[keptBatch[r]] = Math.min(split[keptBatch[r]], keptPos[r]);
            }
            for (int a = 0; a < count; a++) {
                split[initBatch[a]] = Math.min(split[initBatch[a]], initPos[a]);
            }
        }

        /** Whether some prompt has positions before its split, which a prefix can spare. */
        boolean hasPrefix() {
            return Arrays.stream(split).max().orElse(0) > 0;
        }

        int sequences() {
            return seqs.size();
        }

        /** Estimated bytes of this batch's gradient pass ({@link SearchMemory#gradientPassBytes}). */
        long gradientPassBytes() {
            int[] lengths = seqs.stream().mapToInt(q -> q.length).toArray();
            int attended = Arrays.stream(lengths).max().orElse(0);
            int[] from = hasPrefix() ? split : new int[split.length];
            return SearchMemory.gradientPassBytes(model.config(), site.layer(), from, lengths, attended,
                    keptBatch.length);
        }

        /** Estimated bytes of this batch's recorded prefix (0 without one). */
        long recordingBytes() {
            int length = seqs.stream().mapToInt(q -> q.length).max().orElse(0);
            return hasPrefix() ? SearchMemory.recordingBytes(model.config(), seqs.size(), length) : 0;
        }

        /** Runs the group's prompts once without gradients, recording every layer's keys and values. */
        AttentionPrefix record(NDManager search) {
            AttentionPrefix recorder = AttentionPrefix.recorder();
            model.activations(model.batch(search, seqs), new ForwardHooks().prefix(recorder));
            return recorder;
        }

        /** The continuation of {@code recorded} (this group's rows) from each prompt's split on. */
        AttentionPrefix continuation(NDManager search, AttentionPrefix recorded) {
            return recorded.continuation(search, split, seqs.stream().mapToInt(q -> q.length).toArray());
        }

        /** The tokens from each prompt's split on, left-aligned and right-padded like a batch of their own. */
        private TokenBatch suffixBatch(NDManager scope) {
            List<int[]> tails = new ArrayList<>(seqs.size());
            for (int q = 0; q < seqs.size(); q++) {
                tails.add(Arrays.copyOfRange(seqs.get(q), split[q], seqs.get(q).length));
            }
            return model.batch(scope, tails);
        }

        private int[] shifted(int[] batch, int[] pos) {
            int[] out = new int[pos.length];
            for (int i = 0; i < pos.length; i++) {
                out[i] = pos[i] - split[batch[i]];
            }
            return out;
        }

        /**
         * Runs the step. {@code klReference} null: the first step (δ = 0), whose KL row is the reference and whose
         * activation at the site is v_init.
         */
        Step run(double[][] delta, float[][] klReference, double[] initNorm, boolean last, Settings s,
                AttentionPrefix prefix) {
            try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
                nd.suppressNotUsedWarning();
                float[] flat = new float[count * width];
                for (int a = 0; a < count; a++) {
                    for (int j = 0; j < width; j++) {
                        flat[a * width + j] = (float) delta[a][j];
                    }
                }
                NDArray d = scope.create(flat).reshape(count, width);
                d.setRequiresGradient(true);
                boolean tail = prefix != null;
                ForwardHooks hooks = new ForwardHooks()
                        .inject(site, d, injectBatch, tail ? shifted(injectBatch, injectPos) : injectPos, injectRow)
                        .keepRowsAfter(lastBlock, keptBatch, tail ? shifted(keptBatch, keptPos) : keptPos);
                boolean first = klReference == null;
                if (first) {
                    hooks.read(site, initBatch, tail ? shifted(initBatch, initPos) : initPos);
                }
                TokenBatch batch = tail ? suffixBatch(scope) : model.batch(scope, seqs);
                if (tail) {
                    hooks.prefix(prefix);
                }
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray logits = model.logits(batch, hooks);
                    NDArray logp = logits.reshape(keptBatch.length, logits.getShape().get(2))
                            .get("0:" + (targets + count)).logSoftmax(-1);
                    NDArray picked = logp.get("0:" + targets).gather(scope.create(targetTok).reshape(targets, 1), 1);
                    NDArray klRows = logp.get(targets + ":");
                    double[][] initRows = null;
                    float[][] reference = klReference;
                    if (first) {
                        initRows = ActivationReader.rows(hooks.captured(site));
                        float[] r = klRows.toFloatArray();
                        int v = (int) klRows.getShape().get(1);
                        reference = new float[count][];
                        for (int a = 0; a < count; a++) {
                            reference[a] = Arrays.copyOfRange(r, a * v, (a + 1) * v);
                        }
                    }
                    // log-probabilities clamped so that 0·log 0 terms stay 0 instead of NaN
                    NDArray ref = Scalars.maximum(scope.create(flatten(reference), klRows.getShape()), -1e4f);
                    NDArray klElements = klRows.exp().mul(Scalars.maximum(klRows, -1e4f).sub(ref));
                    // per request, with the reductions of a search of that request alone (same operands, same
                    // order), so that batching changes no rounding
                    NDArray[] totals = new NDArray[count];
                    NDArray[] nlls = new NDArray[count];
                    for (int a = 0; a < count; a++) {
                        NDArray nll = Scalars.div(picked.get(targetFrom[a] + ":" + targetFrom[a + 1]).sum().neg(),
                                (float) targetCount[a]);
                        NDArray klTerm = klElements.get(a).sum();
                        // v_init's norm (from this very step's read at the first step) scales the decay term
                        double in = first ? Math.max(Vectors.norm(initRows[a]), 1e-12) : initNorm[a];
                        NDArray decay = Scalars.div(d.get(a).norm(), (float) (in * in));
                        totals[a] = primary[a] ? nll.add(Scalars.mul(klTerm, (float) s.klFactor()))
                                .add(Scalars.mul(decay, (float) s.weightDecay())) : nll;
                        nlls[a] = nll;
                    }
                    NDArray total = NDArrays.stack(new NDList(totals));
                    NDArray nll = NDArrays.stack(new NDList(nlls));
                    float[] lossF = total.toFloatArray();
                    float[] nllF = nll.toFloatArray();
                    double[] loss = new double[count];
                    double[] targetLogProb = new double[count];
                    boolean anyGoesOn = false;
                    for (int a = 0; a < count; a++) {
                        loss[a] = lossF[a];
                        targetLogProb[a] = -nllF[a];
                        // a part's share says nothing about its request's stop: parts always go on until the last step
                        anyGoesOn |= Double.isFinite(loss[a]) && (!whole[a] || !(loss[a] < s.earlyStopLoss())) && !last;
                    }
                    boolean allFinite = true;
                    for (double l : loss) {
                        allFinite &= Double.isFinite(l);
                    }
                    double[][] gradient = null;
                    if (anyGoesOn && allFinite) {
                        gc.backward(total.sum());
                        float[] g = d.getGradient().toFloatArray();
                        gradient = new double[count][];
                        for (int a = 0; a < count; a++) {
                            if (!whole[a] || !(loss[a] < s.earlyStopLoss())) {
                                gradient[a] = new double[width];
                                for (int j = 0; j < width; j++) {
                                    gradient[a][j] = g[a * width + j];
                                }
                            }
                        }
                    }
                    return new Step(loss, targetLogProb, gradient, initRows, first ? reference : null);
                }
            }
        }
    }

    private static float[] flatten(float[][] rows) {
        int w = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    /** One Adam step (β 0.9 / 0.999, ε 1e-8) on {@code x} in place; {@code t} counts from 1. */
    static void adam(double[] x, double[] g, double[] m, double[] v, int t, double lr) {
        double b1 = 0.9;
        double b2 = 0.999;
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            x[i] -= lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + 1e-8);
        }
    }
}
