package io.github.editunit.reports;

import io.github.editunit.framework.study.SvgLineChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's perplexity charts: a trajectory over sequential steps (a {@link SvgLineChart}) and a
 * before/after bar pair for one case, each with the perplexity bound as a dashed red line.
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
     * Perplexity after each step, drawn by the framework's {@link SvgLineChart}; points above the bound
     * and non-finite values (drawn at the top) are red.
     *
     * @param title chart title
     * @param baseline unedited perplexity (drawn as step 0)
     * @param steps perplexity after each step
     * @param bound the largest allowed perplexity (NaN: none)
     */
    public static String trajectory(String title, double baseline, List<Double> steps, double bound) {
        List<Double> values = new ArrayList<>(steps.size() + 1);
        values.add(baseline);
        values.addAll(steps);
        SvgLineChart chart = new SvgLineChart(title, "step (0 = unedited)", "perplexity", false).firstX(0)
                .series("perplexity", values).markPoints(bound);
        if (Double.isFinite(bound)) {
            chart.reference(bound, "bound " + num(bound));
        }
        return chart.render();
    }

    /**
     * Knowledge canaries next to perplexity over sequential steps, both relative to the unedited model so they
     * share an axis: the perplexity ratio (bound: its upper limit) and the canary recall (bound: its floor).
     *
     * @param pplRatios perplexity / unedited perplexity after each step
     * @param baselineRecall canary recall of the unedited model (drawn as step 0)
     * @param recalls canary recall after each step
     * @param pplBoundRatio the largest allowed ratio
     * @param canaryFloor the lowest allowed recall
     */
    public static String canariesAndPerplexity(String title, List<Double> pplRatios, double baselineRecall, List<Double> recalls,
            double pplBoundRatio, double canaryFloor) {
        List<Double> ratios = new ArrayList<>(pplRatios.size() + 1);
        ratios.add(1.0);
        ratios.addAll(pplRatios);
        List<Double> recall = new ArrayList<>(recalls.size() + 1);
        recall.add(baselineRecall);
        recall.addAll(recalls);
        SvgLineChart chart = new SvgLineChart(title, "step (0 = unedited)", "relative to the unedited model", false).firstX(0)
                .series("perplexity ratio", ratios).series("canary recall", recall);
        if (Double.isFinite(pplBoundRatio)) {
            chart.reference(pplBoundRatio, "perplexity bound ×" + num(pplBoundRatio));
        }
        if (Double.isFinite(canaryFloor)) {
            chart.reference(canaryFloor, "canary floor " + num(canaryFloor));
        }
        return chart.render();
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
        return SvgLineChart.human(v);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
