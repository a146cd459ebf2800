package io.github.editunit.framework.model.gptj;

import java.util.Map;

/**
 * A plain-Java, double-precision GPT-J forward pass for one unpadded sequence, from the
 * equations: {@code x + attn(ln_1 x) + mlp(ln_1 x)}, interleaved rotary on the first
 * {@code rotary_dim} dimensions of each head, gelu_new MLP, untied head with bias.
 */
final class ReferenceGptj {

    final int vocab;
    final int d;
    final int layers;
    final int heads;
    final int inner;
    final int rotaryDim;
    final double eps;
    private final Map<String, float[]> w;
    /** MLP keys per layer: [layer][position][inner]. */
    double[][][] keys;

    ReferenceGptj(int vocab, int d, int layers, int heads, int inner, int rotaryDim, double eps,
            Map<String, float[]> weights) {
        this.vocab = vocab;
        this.d = d;
        this.layers = layers;
        this.heads = heads;
        this.inner = inner;
        this.rotaryDim = rotaryDim;
        this.eps = eps;
        this.w = weights;
    }

    double[][] logits(int[] ids) {
        int t = ids.length;
        int hd = d / heads;
        keys = new double[layers][][];
        float[] emb = w.get("transformer.wte.weight");
        double[][] x = new double[t][d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[ids[i] * d + j];
            }
        }
        for (int l = 0; l < layers; l++) {
            String b = "transformer.h." + l + ".";
            double[][] h = layerNorm(x, b + "ln_1");
            double[][] q = linear(h, b + "attn.q_proj", d, d);
            double[][] k = linear(h, b + "attn.k_proj", d, d);
            double[][] v = linear(h, b + "attn.v_proj", d, d);
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < heads; hh++) {
                    rotate(q[i], hh * hd, i);
                    rotate(k[i], hh * hd, i);
                }
            }
            double[][] attn = new double[t][d];
            for (int hh = 0; hh < heads; hh++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < hd; c++) {
                            dot += q[i][hh * hd + c] * k[j][hh * hd + c];
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
                        for (int c = 0; c < hd; c++) {
                            attn[i][hh * hd + c] += s[j] / z * v[j][hh * hd + c];
                        }
                    }
                }
            }
            double[][] a = linear(attn, b + "attn.out_proj", d, d);
            double[][] key = linear(h, b + "mlp.fc_in", d, inner);
            for (double[] row : key) {
                for (int c = 0; c < row.length; c++) {
                    double u = row[c];
                    row[c] = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
                }
            }
            keys[l] = key;
            double[][] mlp = linear(key, b + "mlp.fc_out", inner, d);
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] += a[i][j] + mlp[i][j];
                }
            }
        }
        return linear(layerNorm(x, "transformer.ln_f"), "lm_head", d, vocab);
    }

    /** rotate_every_two on the first rotaryDim dims: pair (2i, 2i+1) at frequency 10000^(-2i/rotaryDim). */
    private void rotate(double[] row, int off, int pos) {
        for (int i = 0; i < rotaryDim / 2; i++) {
            double angle = pos * Math.pow(10000, -2.0 * i / rotaryDim);
            double a = row[off + 2 * i];
            double b = row[off + 2 * i + 1];
            row[off + 2 * i] = a * Math.cos(angle) - b * Math.sin(angle);
            row[off + 2 * i + 1] = b * Math.cos(angle) + a * Math.sin(angle);
        }
    }

    private double[][] linear(double[][] x, String name, int in, int out) {
        float[] wt = w.get(name + ".weight");
        float[] bias = w.get(name + ".bias");
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int k = 0; k < in; k++) {
                    s += x[i][k] * wt[o * in + k];
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
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * g[j] + bt[j];
            }
        }
        return y;
    }
}
