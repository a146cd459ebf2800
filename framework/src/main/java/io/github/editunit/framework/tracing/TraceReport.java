package io.github.editunit.framework.tracing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link TraceSummary} as Markdown tables, an SVG heat map (one panel per site) and a JSON document. */
public final class TraceReport {

    private static final String[] COLOURS = {"#6a1b9a", "#2e7d32", "#c62828"};

    private final TraceSummary summary;
    private final String model;
    private final int traced;
    private final int candidates;
    private final CausalTracer.Options options;
    private final double noiseStd;
    private final Integer tunedLayer;

    /**
     * @param tunedLayer the layer the model's ROME hyperparameters edit, or null when none resolve
     */
    public TraceReport(TraceSummary summary, String model, int traced, int candidates, CausalTracer.Options options,
            double noiseStd, Integer tunedLayer) {
        this.summary = summary;
        this.model = model;
        this.traced = traced;
        this.candidates = candidates;
        this.options = options;
        this.noiseStd = noiseStd;
        this.tunedLayer = tunedLayer;
    }

    /** Roles at least one traced case has, in order. */
    private List<TokenRole> roles() {
        List<TokenRole> out = new ArrayList<>();
        for (TokenRole r : TokenRole.values()) {
            if (summary.casesWith(r) > 0) {
                out.add(r);
            }
        }
        return out;
    }

    public String svg() {
        List<TokenRole> roles = roles();
        String[] rows = roles.stream().map(TokenRole::label).toArray(String[]::new);
        String[] cols = new String[summary.layers()];
        for (int l = 0; l < cols.length; l++) {
            cols[l] = "L" + l;
        }
        SvgHeatMap map = new SvgHeatMap(String.format(Locale.ROOT, "Causal tracing of %s: average indirect effect on "
                + "p(true object), %d facts", model, traced));
        TraceSite[] sites = TraceSite.values();
        for (int s = 0; s < sites.length; s++) {
            double[][] v = new double[roles.size()][summary.layers()];
            for (int r = 0; r < roles.size(); r++) {
                for (int l = 0; l < summary.layers(); l++) {
                    v[r][l] = summary.effect(sites[s], roles.get(r), l);
                }
            }
            String window = sites[s] != TraceSite.HIDDEN && options.window() > 1 ? " (window " + options.window() + ")" : "";
            map.panel("restore " + sites[s].label() + window, rows, cols, v, COLOURS[s]);
        }
        return map.render();
    }

    public String markdown(String command, String svgName) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Causal tracing of ").append(model).append("\n\n");
        sb.append("Regenerate with `").append(command).append("`.\n\n");
        sb.append(String.format(Locale.ROOT, "%d of %d facts traced (those whose true object the clean model predicts "
                + "top-1, unless `--all-cases`). The subject's token embeddings are corrupted with Gaussian noise of "
                + "standard deviation %.4g (%.3g × the subjects' embedding spread), %d noise samples per fact; one "
                + "activation at a time is restored to its clean value. Mean p(true object): clean %.4f, corrupted %.4f. "
                + "Cells: average indirect effect = p(restored) − p(corrupted).%n%n", traced, candidates, noiseStd,
                options.noiseScale(), options.samples(), summary.meanClean(), summary.meanCorrupted()));
        if (svgName != null) {
            sb.append("![causal tracing heat map](").append(svgName).append(")\n\n");
        }
        for (TraceSite site : TraceSite.values()) {
            sb.append("## Restoring the ").append(site.label());
            if (site != TraceSite.HIDDEN && options.window() > 1) {
                sb.append(" (window of ").append(options.window()).append(" layers)");
            }
            sb.append("\n\n| position | cases |");
            for (int l = 0; l < summary.layers(); l++) {
                sb.append(" L").append(l).append(" |");
            }
            sb.append("\n|---|---|");
            sb.append("---|".repeat(summary.layers()));
            sb.append('\n');
            for (TokenRole r : roles()) {
                sb.append("| ").append(r.label()).append(" | ").append(summary.casesWith(r)).append(" |");
                for (int l = 0; l < summary.layers(); l++) {
                    sb.append(' ').append(f(summary.effect(site, r, l))).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("**Finding.** ").append(finding()).append('\n');
        return sb.toString();
    }

    /** Where the MLP's effect at the last subject token peaks, and whether the tuned ROME layer agrees. */
    public String finding() {
        int mlpPeak = summary.peakLayer(TraceSite.MLP, TokenRole.LAST_SUBJECT);
        int hiddenPeak = summary.peakLayer(TraceSite.HIDDEN, TokenRole.LAST_SUBJECT);
        int attnPeak = summary.peakLayer(TraceSite.ATTENTION, TokenRole.LAST);
        if (mlpPeak < 0) {
            return "No traced case has a last subject token.";
        }
        String s = String.format(Locale.ROOT, "At the last subject token, restoring the MLP output helps most at layer %d "
                + "(effect %.4f) and the hidden state at layer %d; at the last token, the attention output peaks at layer "
                + "%d.", mlpPeak, summary.effect(TraceSite.MLP, TokenRole.LAST_SUBJECT, mlpPeak), hiddenPeak, attnPeak);
        if (tunedLayer != null) {
            s += String.format(Locale.ROOT, " The model's ROME hyperparameters edit layer %d: %s.", tunedLayer,
                    Math.abs(tunedLayer - mlpPeak) <= 1 ? "within one layer of the MLP peak"
                            : Math.abs(tunedLayer - mlpPeak) + " layers from the MLP peak");
        }
        return s;
    }

    /** The JSON document {@code trace --json} prints. */
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", model);
        doc.put("cases", traced);
        doc.put("candidates", candidates);
        doc.put("samples", options.samples());
        doc.put("noiseScale", options.noiseScale());
        doc.put("noiseStd", noiseStd);
        doc.put("window", options.window());
        doc.put("pClean", summary.meanClean());
        doc.put("pCorrupted", summary.meanCorrupted());
        List<String> roleKeys = roles().stream().map(TokenRole::key).toList();
        doc.put("positions", roleKeys);
        Map<String, Object> sites = new LinkedHashMap<>();
        for (TraceSite site : TraceSite.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, List<Double>> effect = new LinkedHashMap<>();
            for (TokenRole r : roles()) {
                List<Double> row = new ArrayList<>();
                for (int l = 0; l < summary.layers(); l++) {
                    double v = summary.effect(site, r, l);
                    row.add(Double.isNaN(v) ? null : v);
                }
                effect.put(r.key(), row);
            }
            m.put("effect", effect);
            m.put("peakLayerAtLastSubjectToken", summary.peakLayer(site, TokenRole.LAST_SUBJECT));
            sites.put(site.key(), m);
        }
        doc.put("sites", sites);
        doc.put("mlpPeakLayer", summary.peakLayer(TraceSite.MLP, TokenRole.LAST_SUBJECT));
        doc.put("tunedRomeLayer", tunedLayer);
        return doc;
    }

    private static String f(double v) {
        // a rounding-level negative prints as 0.0000, not -0.0000
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", Math.abs(v) < 5e-5 ? 0.0 : v);
    }
}
