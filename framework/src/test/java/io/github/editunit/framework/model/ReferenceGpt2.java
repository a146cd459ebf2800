package io.github.editunit.framework.model;

import java.util.Map;

/**
 * A plain-Java, double-precision GPT-2 forward pass for one unpadded sequence, written
 * directly from the architecture's equations: an independent check of the DJL implementation.
 */
final class ReferenceGpt2 {

    private final ModelConfig c;
    private final Map<String, float[]> w;
    /** MLP keys captured per layer: [layer][position][innerWidth]. */
    double[][][] keys;

    ReferenceGpt2(ModelConfig config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    double[][] logits(int[] ids) {
        int t = ids.length;
        int d = c.width();
        keys = new double[c.layers()][][];
        double[][] x = new double[t][d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = w.get("transformer.wte.weight")[ids[i] * d + j] + w.get("transformer.wpe.weight")[i * d + j];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            String b = "transformer.h." + l + ".";
            double[][] a = layerNorm(x, b + "ln_1");
            double[][] qkv = linear(a, b + "attn.c_attn", d, 3 * d);
            int hd = c.headWidth();
            double[][] attn = new double[t][d];
            for (int h = 0; h < c.heads(); h++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int k = 0; k < hd; k++) {
                            dot += qkv[i][h * hd + k] * qkv[j][d + h * hd + k];
                        }
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int k = 0; k < hd; k++) {
                            attn[i][h * hd + k] += s[j] / z * qkv[j][2 * d + h * hd + k];
                        }
                    }
                }
            }
            add(x, linear(attn, b + "attn.c_proj", d, d));
            double[][] key = linear(layerNorm(x, b + "ln_2"), b + "mlp.c_fc", d, c.innerWidth());
            for (double[] row : key) {
                for (int k = 0; k < row.length; k++) {
                    double v = row[k];
                    row[k] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
            keys[l] = key;
            add(x, linear(key, b + "mlp.c_proj", c.innerWidth(), d));
        }
        double[][] f = layerNorm(x, "transformer.ln_f");
        float[] wte = w.get("transformer.wte.weight");
        double[][] out = new double[t][c.vocabSize()];
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < c.vocabSize(); v++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += f[i][j] * wte[v * d + j];
                }
                out[i][v] = dot;
            }
        }
        return out;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }

    private double[][] linear(double[][] x, String name, int in, int out) {
        float[] wt = w.get(name + ".weight");
        float[] bias = w.get(name + ".bias");
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int k = 0; k < in; k++) {
                    s += x[i][k] * wt[k * out + o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String name) {
        float[] g = w.get(name + ".weight");
        float[] bt = w.get(name + ".bias");
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= x[i].length;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[i].length;
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + c.layerNormEpsilon()) * g[j] + bt[j];
            }
        }
        return y;
    }
}
