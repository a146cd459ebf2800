package io.github.editunit.framework.diagnostics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.editunit.framework.model.ForwardHooks;
import io.github.editunit.framework.model.HookPoint;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Per layer, the ratio of the residual-stream norm at position 0 to the mean norm at the other
 * positions. The texts are model inputs ({@code TokenCodec.encodeInput}): with a tokenizer that adds
 * a BOS, position 0 is the BOS, and a subject is never there. Pretrained GPT-2 models show a very large first-position activation (ratios in the
 * tens), which is what makes first-token ROME edits collapse.
 */
public final class ResidualNormProfile {

    private ResidualNormProfile() {}

    /** Ratios per layer, averaged over the texts (each text needs at least two tokens). */
    public static double[] firstPositionRatios(LanguageModel model, List<int[]> texts) {
        int layers = model.config().layers();
        double[] first = new double[layers];
        double[] rest = new double[layers];
        long restCount = 0;
        int n = 0;
        for (int from = 0; from < texts.size(); from += 16) {
            List<int[]> chunk = new ArrayList<>();
            for (int[] t : texts.subList(from, Math.min(texts.size(), from + 16))) {
                if (t.length >= 2) {
                    chunk.add(t);
                }
            }
            if (chunk.isEmpty()) {
                continue;
            }
            try (NDManager scope = model.newScope(); NDScope nd = new NDScope()) {
                nd.suppressNotUsedWarning();
                ForwardHooks hooks = new ForwardHooks();
                for (int l = 0; l < layers; l++) {
                    hooks.readAll(HookPoint.blockOutput(l));
                }
                var batch = model.batch(scope, chunk);
                model.logits(batch, hooks);
                for (int l = 0; l < layers; l++) {
                    NDArray norms = hooks.captured(HookPoint.blockOutput(l)).toType(DataType.FLOAT32, false).norm(new int[] {-1});
                    float[] v = norms.toFloatArray();
                    int t = batch.maxLength();
                    for (int b = 0; b < chunk.size(); b++) {
                        first[l] += v[b * t];
                        for (int p = 1; p < batch.lengths()[b]; p++) {
                            rest[l] += v[b * t + p];
                            if (l == 0) {
                                restCount++;
                            }
                        }
                    }
                }
                n += chunk.size();
            }
        }
        double[] ratio = new double[layers];
        for (int l = 0; l < layers; l++) {
            ratio[l] = (first[l] / n) / (rest[l] / restCount);
        }
        return ratio;
    }
}
