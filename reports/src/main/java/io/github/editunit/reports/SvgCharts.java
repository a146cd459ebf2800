package io.github.editunit.reports;

import java.util.List;
import java.util.Locale;

/**
 * Small self-contained SVG charts (no scripts, no external fonts) for the report: a perplexity
 * trajectory over sequential steps, and a before/after bar pair for one case. Both draw the
 * perplexity bound as a dashed red line.
 */
public final class SvgCharts {

    private static final int W = 640;
    private static final int H = 260;
    private static final int L = 60;
    private static final int R = 20;
    private static final int T = 30;
    private static final int B = 40;

    private SvgCharts() {}

    /**
     * Perplexity after each step. Non-finite values are drawn at the top and marked.
     *
     * @param title chart title
     * @param baseline unedited perplexity (drawn as step 0)
     * @param steps perplexity after each step
     * @param bound the largest allowed perplexity (NaN: none)
     */
    public static String trajectory(String title, double baseline, List<Double> steps, double bound) {
        double max = Math.max(baseline, Double.isFinite(bound) ? bound : 0);
        for (double v : steps) {
            if (Double.isFinite(v)) {
                max = Math.max(max, v);
            }
        }
        max = max * 1.1 + 1e-9;
        int n = steps.size();
        StringBuilder sb = header(title);
        axes(sb, max);
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i <= n; i++) {
            double v = i == 0 ? baseline : steps.get(i - 1);
            double x = L + (W - L - R) * (n == 0 ? 0 : (double) i / n);
            double y = Double.isFinite(v) ? y(v, max) : T;
            pts.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            String colour = Double.isFinite(bound) && !(v <= bound) ? "#d62728" : "#1f77b4";
            sb.append(String.format(Locale.ROOT, "<circle class=\"ppl-point\" cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\">"
                    + "<title>step %d: %s</title></circle>%n", fmt(x), fmt(y), colour, i, num(v)));
        }
        sb.append("<polyline class=\"ppl-line\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
                .append(pts.toString().trim()).append("\"/>\n");
        bound(sb, bound, max);
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">step (0 = unedited)</text>%n",
                (L + W - R) / 2, H - 8));
        return sb.append("</svg>\n").toString();
    }

    /** Perplexity before and after one edit. */
    public static String beforeAfter(String title, double before, double after, double bound) {
        double max = Math.max(before, Double.isFinite(after) ? after : before * 2);
        if (Double.isFinite(bound)) {
            max = Math.max(max, bound);
        }
        max = max * 1.1 + 1e-9;
        StringBuilder sb = header(title);
        axes(sb, max);
        double[] vals = {before, after};
        String[] names = {"before", "after"};
        double slot = (W - L - R) / 2.0;
        for (int i = 0; i < 2; i++) {
            double v = Double.isFinite(vals[i]) ? vals[i] : max;
            double x = L + slot * i + slot * 0.25;
            double y = y(v, max);
            String colour = i == 1 && Double.isFinite(bound) && !(vals[1] <= bound) ? "#d62728" : "#1f77b4";
            sb.append(String.format(Locale.ROOT, "<rect class=\"ppl-bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                    + "fill=\"%s\"><title>%s: %s</title></rect>%n", fmt(x), fmt(y), fmt(slot * 0.5), fmt(H - B - y),
                    colour, names[i], num(vals[i])));
            sb.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s %s</text>%n",
                    fmt(x + slot * 0.25), H - B + 14, names[i], num(vals[i])));
        }
        bound(sb, bound, max);
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder header(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"editunit-ppl-chart\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", W, H, W, H));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n", L,
                xml(title)));
        return sb;
    }

    private static void axes(StringBuilder sb, double max) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", L, T, L, H - B));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", L, H - B, W - R,
                H - B));
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double y = y(v, max);
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%s\" font-size=\"10\" text-anchor=\"end\">%s</text>%n", L - 4,
                    fmt(y + 3), num(v)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">perplexity</text>%n", (T + H - B) / 2, (T + H - B) / 2));
    }

    private static void bound(StringBuilder sb, double bound, double max) {
        if (Double.isFinite(bound)) {
            double y = y(bound, max);
            sb.append(String.format(Locale.ROOT, "<line class=\"ppl-bound\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" "
                    + "stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>%n", L, fmt(y), W - R, fmt(y)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%s\" font-size=\"10\" fill=\"#d62728\" "
                    + "text-anchor=\"end\">bound %s</text>%n", W - R, fmt(y - 4), num(bound)));
        }
    }

    private static double y(double v, double max) {
        return H - B - (H - B - T) * Math.min(1, v / max);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** A perplexity for people: 41.2, 3,910, ∞. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
