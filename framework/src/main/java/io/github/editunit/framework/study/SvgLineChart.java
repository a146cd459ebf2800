package io.github.editunit.framework.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one SVG line chart of EditUnit (no scripts, no external fonts): series over steps, a linear or
 * log y axis, optional dashed reference lines (bounds; each call of {@link #reference} adds one) and optional point markers
 * that turn red above a threshold. Used for the collapse study's documents and the Allure
 * perplexity trajectories. Non-finite values are drawn at the top edge; their tooltips say ∞.
 */
public final class SvgLineChart {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private final List<Double> references = new java.util.ArrayList<>();
    private final List<String> referenceLabels = new java.util.ArrayList<>();
    private int firstX = 1;
    private boolean markers;
    private double markAbove = Double.NaN;

    public SvgLineChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /** Adds a series; point i is plotted at x = first x + i. Non-finite values are drawn at the top edge. */
    public SvgLineChart series(String name, List<Double> values) {
        series.put(name, new ArrayList<>(values));
        return this;
    }

    /** A dashed horizontal line, e.g. the perplexity bound. */
    public SvgLineChart reference(double value, String label) {
        references.add(value);
        referenceLabels.add(label);
        return this;
    }

    /** The x value of each series' first point (default 1; 0 for "step 0 = unedited"). */
    public SvgLineChart firstX(int x) {
        this.firstX = x;
        return this;
    }

    /** Draws every point with a tooltip; points above {@code threshold} (or non-finite) in red. NaN: no threshold. */
    public SvgLineChart markPoints(double threshold) {
        this.markers = true;
        this.markAbove = threshold;
        return this;
    }

    public String render() {
        int w = 720;
        int h = 360;
        int left = 70;
        int right = 160;
        int top = 40;
        int bottom = 50;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 1;
        for (List<Double> s : series.values()) {
            n = Math.max(n, s.size());
            for (double v : s) {
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (double reference : references) {
            min = Math.min(min, reference);
            max = Math.max(max, reference);
        }
        if (!Double.isFinite(min)) {
            min = logY ? 1 : 0;
            max = logY ? 10 : 1;
        }
        if (max <= min) {
            max = min + (logY ? min : 1);
        }
        double lo = logY ? Math.log10(min) : min;
        double hi = logY ? Math.log10(max) : max;
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                left, esc(title)));
        int pw = w - left - right;
        int ph = h - top - bottom;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", left, top, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double y = top + ph - ph * (v - lo) / (hi - lo);
            double label = logY ? Math.pow(10, v) : v;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + pw, y, y, left - 6, y + 4,
                    fmt(label)));
        }
        for (int i = 0; i <= Math.min(n, 10); i++) {
            int xi = (int) Math.round((double) (n - 1) * i / Math.min(n, 10));
            double x = left + (n == 1 ? pw / 2.0 : pw * xi / (double) (n - 1));
            int xv = firstX + xi;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                    top + ph + 16, xv));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                left + pw / 2, h - 12, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">%s</text>%n", top + ph / 2, top + ph / 2, esc(yLabel)));
        for (int r = 0; r < references.size(); r++) {
            double reference = references.get(r);
            String referenceLabel = referenceLabels.get(r);
            double rv = logY ? Math.log10(reference) : reference;
            double y = top + ph - ph * (rv - lo) / (hi - lo);
            sb.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#d62728\" stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" fill=\"#d62728\" "
                    + "text-anchor=\"end\">%s</text>%n", left, left + pw, y, y, left + pw - 4, y > top + 14 ? y - 4 : y + 14,
                    esc(referenceLabel)));
        }
        int c = 0;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder pts = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            List<Double> s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                double v = s.get(i);
                double yv = !Double.isFinite(v) || (logY && v <= 0) ? hi : (logY ? Math.log10(v) : v);
                yv = Math.min(hi, Math.max(lo, yv));
                double x = left + (n == 1 ? pw / 2.0 : pw * i / (double) (n - 1));
                double y = top + ph - ph * (yv - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                if (markers) {
                    boolean above = !Double.isFinite(v) || (Double.isFinite(markAbove) && v > markAbove);
                    marks.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                            + "fill=\"%s\"><title>%s %d: %s</title></circle>%n", x, y, above ? "#d62728" : color,
                            esc(xLabel), firstX + i, human(v)));
                }
            }
            sb.append(String.format(Locale.ROOT, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\" points=\"%s\"/>%n", color, pts.toString().trim()));
            sb.append(marks);
            int ly = top + 14 + 18 * c;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", left + pw + 8, ly - 4, color, left + pw + 24, ly,
                    esc(e.getKey())));
            c++;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String fmt(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-2 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** A number for people: 41.2, 3,910, ∞, n/a. */
    public static String human(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
