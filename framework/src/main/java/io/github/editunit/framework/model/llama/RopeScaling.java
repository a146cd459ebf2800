package io.github.editunit.framework.model.llama;

/**
 * Rotary frequency scaling ({@code rope_scaling} / {@code rope_parameters}).
 *
 * @param type {@code linear} or {@code llama3}
 * @param factor scaling factor
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositionEmbeddings llama3 only
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) {

    public static RopeScaling linear(double factor) {
        return new RopeScaling("linear", factor, 0, 0, 0);
    }

    public static RopeScaling llama3(double factor, double low, double high, int originalMax) {
        return new RopeScaling("llama3", factor, low, high, originalMax);
    }

    /** Scales plain inverse frequencies as Hugging Face's rope initialisation functions do. */
    public double[] apply(double[] invFreq) {
        double[] out = invFreq.clone();
        if (type.equals("linear")) {
            for (int i = 0; i < out.length; i++) {
                out[i] = invFreq[i] / factor;
            }
            return out;
        }
        double lowWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < out.length; i++) {
            double wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen > lowWavelen) {
                out[i] = invFreq[i] / factor;
            } else if (wavelen < highWavelen) {
                out[i] = invFreq[i];
            } else {
                double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                        / (highFreqFactor - lowFreqFactor);
                out[i] = (1 - smooth) * invFreq[i] / factor + smooth * invFreq[i];
            }
        }
        return out;
    }
}
