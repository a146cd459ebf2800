package io.github.editunit.framework.editing;

/** Small dense-vector helpers in double precision. */
public final class Vectors {

    private Vectors() {}

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    public static double cosine(double[] a, double[] b) {
        double n = norm(a) * norm(b);
        return n == 0 ? 0 : dot(a, b) / n;
    }

    public static double[] mean(double[][] rows) {
        double[] m = new double[rows[0].length];
        for (double[] r : rows) {
            for (int i = 0; i < m.length; i++) {
                m[i] += r[i];
            }
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= rows.length;
        }
        return m;
    }

    public static double[] sub(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    public static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }

    public static double[] scale(double[] a, double s) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * s;
        }
        return r;
    }

    public static float[] toFloat(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    public static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i];
        }
        return r;
    }

    public static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
