package io.github.editunit.framework.training;

import io.github.editunit.framework.diagnostics.ResidualNormProfile;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown sections every {@code MODEL_CARD.md} EditUnit writes shares (the bundled models'
 * and the sandboxes' of {@code train --cases}): configuration, fact-recall table, held-out
 * perplexity, first-position activation.
 */
final class ModelCardSections {

    private ModelCardSections() {
    }

    /** The {@code ## Configuration} section, ending with a blank line. */
    static String configuration(LanguageModel model, TinyModelSpec spec, String weightsSha256) {
        var c = model.config();
        StringBuilder sb = new StringBuilder();
        sb.append("## Configuration\n\n| | |\n|---|---|\n");
        if (spec.architecture().equals("llama")) {
            sb.append(String.format(Locale.ROOT, "| architecture | llama (RMSNorm, rotary rotate_half θ 10000, SwiGLU MLP, "
                    + "grouped-query attention, untied head, no biases) |%n"));
            sb.append(String.format(Locale.ROOT, "| layers / width / heads / kv-heads / MLP inner | %d / %d / %d / %d / %d |%n",
                    c.layers(), c.width(), c.heads(), spec.kvHeads(), c.innerWidth()));
            sb.append(String.format(Locale.ROOT, "| context / vocabulary | %d / %d (byte-level BPE trained on the corpus; "
                    + "`%s` added at the start of every sequence, as Llama 3's tokenizer does) |%n",
                    c.contextLength(), c.vocabSize(), TokenizerFiles.BEGIN_OF_TEXT));
        } else {
            sb.append(spec.architecture().equals("gptj")
                    ? String.format(Locale.ROOT, "| architecture | gptj (parallel attention + MLP, partial interleaved "
                            + "rotary, untied head with bias) |%n")
                    : String.format(Locale.ROOT, "| architecture | gpt2 (learned positions, pre-LN, GELU tanh, tied head) |%n"));
            sb.append(String.format(Locale.ROOT, "| layers / width / heads / MLP inner | %d / %d / %d / %d |%n",
                    c.layers(), c.width(), c.heads(), c.innerWidth()));
            sb.append(String.format(Locale.ROOT, "| context / vocabulary | %d / %d (byte-level BPE trained on the corpus) |%n",
                    c.contextLength(), c.vocabSize()));
        }
        sb.append(String.format(Locale.ROOT, "| parameters | %,d |%n", model.parameters().parameterCount()));
        sb.append(String.format(Locale.ROOT, "| weights sha256 (model.safetensors) | `%s` |%n", weightsSha256));
        sb.append(String.format(Locale.ROOT, "| weights content hash (`model-info`) | `%s` |%n%n",
                model.parameters().contentHash()));
        return sb.toString();
    }

    /** The fact-recall table (header and one row per prompt group). */
    static String recallTable(Map<String, FactRecallResult> recall) {
        StringBuilder sb = new StringBuilder();
        sb.append("| prompts | n | top-1 (first object token) | exact (whole object, greedy) | mean P(true object) |\n"
                + "|---|---|---|---|---|\n");
        recall.forEach((k, r) -> sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f |%n", k,
                r.facts(), r.top1(), r.exact(), r.pTrue())));
        return sb.toString();
    }

    /** The held-out perplexity paragraph, ending with a blank line. */
    static String heldOutPerplexity(PerplexityResult ppl) {
        return String.format(Locale.ROOT, "Held-out perplexity (`suites/heldout-ppl.json`, ME-PPL recipe): "
                + "PPL %.3f (mean of per-sentence), corpus PPL %.3f, %d sentences, %d tokens.%n%n",
                ppl.ppl(), ppl.corpusPpl(), ppl.sentences(), ppl.tokens());
    }

    /**
     * Per-layer ratio of the residual norm at position 0 to the mean elsewhere, on {@code texts}
     * (each cut to the model's context).
     */
    static double[] firstPositionRatios(LanguageModel model, List<String> texts) {
        int context = model.config().contextLength();
        List<int[]> ids = new ArrayList<>();
        for (String s : texts) {
            int[] t = model.tokenizer().encodeInput(s.strip());
            ids.add(t.length > context ? Arrays.copyOf(t, context) : t);
        }
        return ResidualNormProfile.firstPositionRatios(model, ids);
    }

    /** The {@code ## First-position activation} section. */
    static String firstPositionActivation(LanguageModel model, double[] ratios) {
        StringBuilder sb = new StringBuilder();
        sb.append("## First-position activation\n\nRatio of the residual-stream norm at position 0 to the mean at other "
                + "positions, per layer (block outputs, held-out texts). Pretrained GPT-2 shows ratios in the tens "
                + "(the \"massive activation\" behind first-token ROME collapse)."
                + (model.tokenizer().addsBos() ? " Here position 0 is the BOS token `" + model.tokenizer().bosToken()
                        + "` every input starts with (pretrained Llama models put their massive activation there), so "
                        + "a subject is never at position 0: a first-token subject sits at position 1." : "")
                + "\n\n| layer | ratio |\n|---|---|\n");
        for (int l = 0; l < ratios.length; l++) {
            sb.append(String.format(Locale.ROOT, "| %d | %.3f |%n", l, ratios[l]));
        }
        return sb.toString();
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
