package io.github.editunit.framework.tracing;

import java.util.Locale;

/**
 * A heat map as standalone SVG: rows × columns of cells shaded from white (0) to a colour (the largest value),
 * each cell labelled with its value, NaN cells hatched grey. One panel per call to {@link #panel}.
 */
final class SvgHeatMap {

    private static final int CELL_W = 46;
    private static final int CELL_H = 22;
    private static final int LABEL_W = 170;

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private int y = 40;
    private int width = 0;

    SvgHeatMap(String title) {
        this.title = title;
    }

    /**
     * @param heading  panel title
     * @param rows     row labels
     * @param columns  column labels
     * @param values   {@code [row][column]}
     * @param colour   RGB of the largest value, e.g. "#7b1fa2"
     */
    SvgHeatMap panel(String heading, String[] rows, String[] columns, double[][] values, String colour) {
        double max = 0;
        for (double[] r : values) {
            for (double v : r) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        body.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                y, escape(heading)));
        y += 10;
        for (int c = 0; c < columns.length; c++) {
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    LABEL_W + c * CELL_W + CELL_W / 2, y + 12, escape(columns[c])));
        }
        y += 18;
        int[] rgb = {Integer.parseInt(colour.substring(1, 3), 16), Integer.parseInt(colour.substring(3, 5), 16),
                Integer.parseInt(colour.substring(5, 7), 16)};
        for (int r = 0; r < rows.length; r++) {
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LABEL_W - 6, y + 15, escape(rows[r])));
            for (int c = 0; c < columns.length; c++) {
                double v = values[r][c];
                int x = LABEL_W + c * CELL_W;
                String fill;
                String label;
                if (Double.isNaN(v)) {
                    fill = "#e0e0e0";
                    label = "–";
                } else {
                    double a = max > 0 ? Math.max(0, Math.min(1, v / max)) : 0;
                    fill = String.format(Locale.ROOT, "#%02x%02x%02x", mix(rgb[0], a), mix(rgb[1], a), mix(rgb[2], a));
                    label = String.format(Locale.ROOT, "%.3f", v);
                }
                body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                        + "stroke=\"#ffffff\"><title>%s, %s: %s</title></rect>%n", x, y, CELL_W, CELL_H, fill,
                        escape(rows[r]), escape(columns[c]), label));
                body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" "
                        + "fill=\"%s\">%s</text>%n", x + CELL_W / 2, y + 15,
                        !Double.isNaN(v) && max > 0 && v / max > 0.6 ? "#ffffff" : "#000000", label));
            }
            y += CELL_H;
        }
        y += 30;
        width = Math.max(width, LABEL_W + columns.length * CELL_W + 20);
        return this;
    }

    String render() {
        int w = Math.max(width, 420);
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n"
                + "<text x=\"10\" y=\"20\" font-size=\"15\">%s</text>%n%s</svg>%n", w, y, escape(title), body);
    }

    private static int mix(int target, double a) {
        return (int) Math.round(255 + (target - 255) * a);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
