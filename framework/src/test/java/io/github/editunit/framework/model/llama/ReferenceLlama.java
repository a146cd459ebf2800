package io.github.editunit.framework.model.llama;

import java.util.Map;

/**
 * A plain-Java, double-precision Llama-family forward pass for one unpadded sequence, written
 * from the equations (RMSNorm, rotate_half rotary with rope_theta and llama3 / linear scaling,
 * grouped-query attention, SwiGLU): an independent check of {@link LlamaArchitecture}.
 */
final class ReferenceLlama {

    final int vocab;
    final int d;
    final int layers;
    final int heads;
    final int kvHeads;
    final int hd;
    final int inner;
    final double eps;
    final double theta;
    final String scaling;
    final double factor;
    final double low;
    final double high;
    final int originalMax;
    final boolean tied;
    private final Map<String, float[]> w;
    /** MLP keys per layer: [layer][position][inner]. */
    double[][][] keys;

    ReferenceLlama(int vocab, int d, int layers, int heads, int kvHeads, int hd, int inner, double eps, double theta,
            String scaling, double factor, double low, double high, int originalMax, boolean tied,
            Map<String, float[]> weights) {
        this.vocab = vocab;
        this.d = d;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.hd = hd;
        this.inner = inner;
        this.eps = eps;
        this.theta = theta;
        this.scaling = scaling;
        this.factor = factor;
        this.low = low;
        this.high = high;
        this.originalMax = originalMax;
        this.tied = tied;
        this.w = weights;
    }

    /** Frequency of pair {@code i} of a head, after scaling. */
    double frequency(int i) {
        double f = Math.pow(theta, -2.0 * i / hd);
        if (scaling == null) {
            return f;
        }
        if (scaling.equals("linear")) {
            return f / factor;
        }
        // llama3: long wavelengths are divided by the factor, short kept, the band in between blended
        double wavelength = 2 * Math.PI / f;
        if (wavelength < originalMax / high) {
            return f;
        }
        if (wavelength > originalMax / low) {
            return f / factor;
        }
        double smooth = (originalMax / wavelength - low) / (high - low);
        return (1 - smooth) * f / factor + smooth * f;
    }

    double[][] logits(int[] ids) {
        int t = ids.length;
        keys = new double[layers][][];
        float[] emb = w.get("model.embed_tokens.weight");
        double[][] x = new double[t][d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[ids[i] * d + j];
            }
        }
        int rep = heads / kvHeads;
        for (int l = 0; l < layers; l++) {
            String b = "model.layers." + l + ".";
            double[][] h = rms(x, b + "input_layernorm.weight");
            double[][] q = linear(h, b + "self_attn.q_proj", d, heads * hd);
            double[][] k = linear(h, b + "self_attn.k_proj", d, kvHeads * hd);
            double[][] v = linear(h, b + "self_attn.v_proj", d, kvHeads * hd);
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < heads; hh++) {
                    rotate(q[i], hh * hd, i);
                }
                for (int hh = 0; hh < kvHeads; hh++) {
                    rotate(k[i], hh * hd, i);
                }
            }
            double[][] attn = new double[t][heads * hd];
            for (int hh = 0; hh < heads; hh++) {
                int g = hh / rep; // HF repeat_kv: query heads g·rep .. g·rep+rep-1 share kv head g
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < hd; c++) {
                            dot += q[i][hh * hd + c] * k[j][g * hd + c];
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
                            attn[i][hh * hd + c] += s[j] / z * v[j][g * hd + c];
                        }
                    }
                }
            }
            add(x, linear(attn, b + "self_attn.o_proj", heads * hd, d));
            double[][] g = rms(x, b + "post_attention_layernorm.weight");
            double[][] gate = linear(g, b + "mlp.gate_proj", d, inner);
            double[][] up = linear(g, b + "mlp.up_proj", d, inner);
            double[][] key = new double[t][inner];
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < inner; c++) {
                    double a = gate[i][c];
                    key[i][c] = a / (1 + Math.exp(-a)) * up[i][c];
                }
            }
            keys[l] = key;
            add(x, linear(key, b + "mlp.down_proj", inner, d));
        }
        double[][] f = rms(x, "model.norm.weight");
        float[] head = w.get(tied ? "model.embed_tokens.weight" : "lm_head.weight");
        double[][] out = new double[t][vocab];
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < vocab; v++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += f[i][j] * head[v * d + j];
                }
                out[i][v] = dot;
            }
        }
        return out;
    }

    /** rotate_half: dimension c pairs with c + hd/2, both at frequency c. */
    private void rotate(double[] row, int off, int pos) {
        int half = hd / 2;
        for (int c = 0; c < half; c++) {
            double angle = pos * frequency(c);
            double a = row[off + c];
            double bb = row[off + c + half];
            row[off + c] = a * Math.cos(angle) - bb * Math.sin(angle);
            row[off + c + half] = bb * Math.cos(angle) + a * Math.sin(angle);
        }
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }

    /** torch Linear: weight [out, in]; bias when present in the weights. */
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

    private double[][] rms(double[][] x, String name) {
        float[] g = w.get(name);
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            ms /= x[i].length;
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = x[i][j] / Math.sqrt(ms + eps) * g[j];
            }
        }
        return y;
    }
}
