package io.github.editunit.framework.generation;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.TokenCodec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Autoregressive generation: greedy ({@code topK <= 1}) or top-k sampling from a seeded RNG, so
 * a seed always gives the same text on the same weights.
 *
 * <p>A text prompt starts the model input ({@link TokenCodec#encodeInput}: after the BOS, for a
 * tokenizer that adds one), and the continuation is the decoded whole minus the decoded prompt, so
 * its text does not depend on how the tokenizer decodes a sequence's first token (a
 * SentencePiece decoder strips the leading space of the first token it is given).
 */
public final class Generator {

    private final LanguageModel model;

    public Generator(LanguageModel model) {
        this.model = model;
    }

    /**
     * Options.
     *
     * @param maxTokens new tokens to generate at most
     * @param topK 1 (or 0) for greedy, otherwise sample among the k most likely tokens
     * @param seed RNG seed for sampling
     * @param stopAtEndOfText stop when end-of-text is generated
     */
    public record Options(int maxTokens, int topK, long seed, boolean stopAtEndOfText) {
        public static Options greedy(int maxTokens) {
            return new Options(maxTokens, 1, 0, true);
        }

        public static Options topK(int maxTokens, int k, long seed) {
            return new Options(maxTokens, k, seed, true);
        }
    }

    /** Generates a continuation of {@code prompt}; returns only the new text. */
    public String generate(String prompt, Options options) {
        TokenCodec tok = model.tokenizer();
        int[] input = tok.encode(prompt).length == 0 ? tok.startOfText() : tok.encodeInput(prompt);
        return continuation(tok, input, generateIds(input, options));
    }

    /**
     * The text {@code generated} adds after {@code prompt}: {@code decode(prompt + generated)} without
     * its {@code decode(prompt)} head. For GPT-2's byte-level decoder that is {@code decode(generated)};
     * a SentencePiece decoder (Llama-2) strips the leading space of the first token it decodes, so
     * decoding the new ids alone would lose the space before the first generated word.
     */
    public static String continuation(TokenCodec tok, int[] prompt, int[] generated) {
        int[] all = Arrays.copyOf(prompt, prompt.length + generated.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length);
        String head = tok.decode(prompt);
        String whole = tok.decode(all);
        return whole.startsWith(head) ? whole.substring(head.length()) : tok.decode(generated);
    }

    /**
     * Generates new token ids after {@code prompt}, the whole model input so far (as
     * {@link TokenCodec#encodeInput} gives it); an empty prompt starts from
     * {@link TokenCodec#startOfText()}. A sequence longer than the context is read through its last
     * tokens, with the BOS kept first.
     */
    public int[] generateIds(int[] prompt, Options options) {
        if (prompt.length == 0) {
            prompt = model.tokenizer().startOfText();
        }
        int[] bos = model.hasTokenizer() ? model.tokenizer().sequencePrefix() : new int[0];
        int keep = bos.length > 0 && prompt.length > bos.length
                && Arrays.equals(prompt, 0, bos.length, bos, 0, bos.length) ? bos.length : 0;
        SplittableRandom rnd = new SplittableRandom(options.seed());
        int context = model.config().contextLength();
        int[] seq = prompt.clone();
        int[] generated = new int[options.maxTokens()];
        int count = 0;
        for (; count < options.maxTokens(); count++) {
            int[] window = seq;
            if (seq.length > context) {
                window = new int[context];
                System.arraycopy(seq, 0, window, 0, keep);
                System.arraycopy(seq, seq.length - (context - keep), window, keep, context - keep);
            }
            float[] logp = decodable(model.nextTokenLogProbs(window));
            int next = options.topK() <= 1 ? argmax(logp) : sampleTopK(logp, options.topK(), rnd);
            if (options.stopAtEndOfText() && next == model.tokenizer().eosId()) {
                break;
            }
            generated[count] = next;
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = next;
        }
        return Arrays.copyOf(generated, count);
    }

    /**
     * The log-probabilities of the ids the tokenizer can decode: a model's vocabulary may be larger than its
     * tokenizer's (GPT-J's 50,400 rows for 50,257 tokens, padded Llama vocabularies, random-weight benchmark
     * models), and an id beyond the tokenizer is no text.
     */
    private float[] decodable(float[] logp) {
        int n = model.hasTokenizer() ? model.tokenizer().vocabSize() : logp.length;
        return n < logp.length ? Arrays.copyOf(logp, n) : logp;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best] || Float.isNaN(v[best])) {
                best = i;
            }
        }
        return best;
    }

    static int sampleTopK(float[] logp, int k, SplittableRandom rnd) {
        k = Math.min(k, logp.length);
        int[] top = new int[k];
        Arrays.fill(top, -1);
        for (int i = 0; i < logp.length; i++) {
            float v = Float.isNaN(logp[i]) ? Float.NEGATIVE_INFINITY : logp[i];
            int pos = k;
            while (pos > 0 && (top[pos - 1] < 0 || v > value(logp, top[pos - 1]))) {
                pos--;
            }
            if (pos < k) {
                System.arraycopy(top, pos, top, pos + 1, k - pos - 1);
                top[pos] = i;
            }
        }
        double max = value(logp, top[0]);
        double[] w = new double[k];
        double z = 0;
        for (int j = 0; j < k; j++) {
            w[j] = Math.exp(value(logp, top[j]) - max);
            z += w[j];
        }
        if (!(z > 0) || Double.isNaN(z)) {
            return top[0];
        }
        double u = rnd.nextDouble() * z;
        for (int j = 0; j < k; j++) {
            u -= w[j];
            if (u <= 0) {
                return top[j];
            }
        }
        return top[k - 1];
    }

    private static double value(float[] logp, int i) {
        return Float.isNaN(logp[i]) ? Double.NEGATIVE_INFINITY : logp[i];
    }
}
