package io.github.editunit.framework.study;

import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.diagnostics.PreCheckEvaluation;
import io.github.editunit.framework.diagnostics.PreCheckSample;
import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Renders the collapse study as Markdown. Every number comes from the run; findings are derived from them. */
final class CollapseStudyReport {

    private final String modelArg;
    private final String outArg;
    private final LanguageModel model;
    private final int singleCases;
    private final int sequentialSteps;
    private final double baselinePpl;
    private final List<CollapseStudy.Row> rows;
    private final Map<String, Double> baselineRecall;
    private final Map<String, List<Double>> trajectories;
    private final Map<String, List<Double>> recallTrajectories;
    private final double seqBaseRecall;
    private final Map<String, List<PreCheckSample>> sequentialPreCheck;
    private final double[] preCheckThresholds;
    private final double[] ratios;
    private final String chart;
    private final CollapseStudy.Options options;

    CollapseStudyReport(String modelArg, String outArg, LanguageModel model, int singleCases, int sequentialSteps, double baselinePpl,
            List<CollapseStudy.Row> rows, Map<String, Double> baselineRecall, Map<String, List<Double>> trajectories,
            Map<String, List<Double>> recallTrajectories, double seqBaseRecall,
            Map<String, List<PreCheckSample>> sequentialPreCheck, double[] preCheckThresholds, double[] ratios, String chart,
            CollapseStudy.Options options) {
        this.modelArg = modelArg;
        this.outArg = outArg;
        this.model = model;
        this.singleCases = singleCases;
        this.sequentialSteps = sequentialSteps;
        this.baselinePpl = baselinePpl;
        this.rows = rows;
        this.baselineRecall = baselineRecall;
        this.trajectories = trajectories;
        this.recallTrajectories = recallTrajectories;
        this.seqBaseRecall = seqBaseRecall;
        this.sequentialPreCheck = sequentialPreCheck;
        this.preCheckThresholds = preCheckThresholds;
        this.ratios = ratios;
        this.chart = chart;
        this.options = options;
    }

    private static double diag(CollapseStudy.Row r, String key) {
        Object v = r.ev().diagnostics().get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private List<CollapseStudy.Row> select(String mode, Predicate<CollapseStudy.Row> p) {
        List<CollapseStudy.Row> out = new ArrayList<>();
        for (CollapseStudy.Row r : rows) {
            if (r.mode().equals(mode) && p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static double mean(List<CollapseStudy.Row> rs, ToDoubleFunction<CollapseStudy.Row> f) {
        return rs.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double min(List<CollapseStudy.Row> rs, ToDoubleFunction<CollapseStudy.Row> f) {
        return rs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    private static double max(List<CollapseStudy.Row> rs, ToDoubleFunction<CollapseStudy.Row> f) {
        return rs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return "∞";
        }
        double a = Math.abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String familyName(String modelType) {
        return switch (modelType) {
            case "gpt2" -> "GPT-2";
            case "gptj" -> "GPT-J";
            case "llama" -> "Llama";
            case "mistral" -> "Mistral";
            case "qwen2" -> "Qwen2";
            default -> modelType;
        };
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        String name = java.nio.file.Paths.get(modelArg).toAbsolutePath().normalize().getFileName().toString();
        sb.append("# Collapse study on ").append(name.startsWith("editunit-tiny") ? "the bundled model" : "`" + name + "`")
                .append("\n\n");
        sb.append(String.format(Locale.ROOT, "Regenerate with `./editunit collapse-study --model %s "
                + "--cases %d --steps %d --methods %s --out %s` (this file and the SVG chart next "
                + "to it are written by that command; nothing here is edited by hand).%n%n", modelArg,
                options.singleCases(), options.sequentialSteps(), String.join(",", options.sequentialMethods()),
                outArg));
        var c = model.config();
        sb.append(String.format(Locale.ROOT, "Model: %s, %d layers, width %d, MLP %d, %,d parameters, weights hash `%s`. "
                + "Unedited perplexity %s on %d held-out sentences (ME-PPL recipe). A case counts as collapsed when the "
                + "perplexity bound %s is violated. Downstream score: top-1 recall of %d world facts the edit did not "
                + "touch.%n%n", familyName(c.modelType()), c.layers(), c.width(), c.innerWidth(), model.parameters().parameterCount(),
                model.parameters().contentHash().substring(0, 16), f(baselinePpl), options.pplSentences(),
                options.bound(), options.recallFacts()));

        sb.append("## Single edits, three ROME key modes\n\n");
        sb.append(String.format(Locale.ROOT, "%d cases per mode (`suites/single-edit.extended.json`). ES/PS/NS as in "
                + "ROME's CounterFact evaluation; C-ROME is measured with the test-time prefix.%n%n", singleCases));
        sb.append("| mode | cases | ES | PS | NS | mean ppl ratio | max ppl ratio | collapsed | mean recall drop | "
                + "mean ‖ΔW‖/‖W‖ | mean edit+eval s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String mode : List.of("rome", "c-rome", "p-rome")) {
            List<CollapseStudy.Row> rs = select(mode, r -> true);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %d | %s | %s | %s |%n", mode,
                    rs.size(), f(mean(rs, r -> r.ev().es())), f(mean(rs, r -> r.ev().ps())),
                    f(mean(rs, r -> r.ev().ns())), f(mean(rs, r -> r.ev().pplRatio())),
                    f(max(rs, r -> r.ev().pplRatio())), rs.stream().filter(r -> r.ev().collapsed()).count(),
                    f(mean(rs, this::recallDrop)), f(mean(rs, r -> diag(r, "relativeUpdateNorm"))),
                    f(mean(rs, r -> r.seconds()))));
        }

        int textStart = model.tokenizer().sequencePrefix().length;
        sb.append("\n## First-token cases\n\nThe subject is the first token of the prompt (subject-last-token index "
                + textStart + (textStart > 0 ? ", behind the BOS" : "") + "), "
                + "the case *The Fall of ROME* ties to collapse. Denominator: `uᵀk` of the mode (ROME: `(C⁻¹k̄)ᵀkᵘ`, "
                + "C-ROME: `k̄ᵀC⁻¹k̄`); ratio: denominator / `k̄ᵀC⁻¹k̄`; cosine: mean prefixed key vs unprefixed key.\n\n");
        sb.append("| mode | subset | cases | ES | max ppl ratio | mean denominator ratio | min denominator ratio | "
                + "mean key cosine | mean ‖ΔW‖/‖W‖ |\n|---|---|---|---|---|---|---|---|---|\n");
        for (String mode : List.of("rome", "c-rome", "p-rome")) {
            for (boolean first : new boolean[] {true, false}) {
                List<CollapseStudy.Row> rs = select(mode, r -> r.ev().firstToken() == first);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |%n", mode,
                        first ? "first token" : "other", rs.size(), f(mean(rs, r -> r.ev().es())),
                        f(max(rs, r -> r.ev().pplRatio())), f(mean(rs, r -> diag(r, "denominatorRatio"))),
                        f(min(rs, r -> diag(r, "denominatorRatio"))),
                        f(mean(rs, r -> diag(r, "prefixedUnprefixedKeyCosine"))),
                        f(mean(rs, r -> diag(r, "relativeUpdateNorm")))));
            }
        }
        List<CollapseStudy.Row> romeFirst = select("rome", r -> r.ev().firstToken());
        long romeFirstCollapsed = romeFirst.stream().filter(r -> r.ev().collapsed()).count();
        sb.append("\n**Finding.** ");
        if (romeFirstCollapsed > 0) {
            sb.append(String.format(Locale.ROOT, "ROME collapsed %d of %d first-token cases on this model "
                    + "(max perplexity ratio %s).", romeFirstCollapsed, romeFirst.size(),
                    f(max(romeFirst, r -> r.ev().pplRatio()))));
        } else {
            sb.append(String.format(Locale.ROOT, "First-token collapse does not appear on this model: the largest "
                    + "perplexity ratio among %d first-token ROME edits is %s (bound %s), and the smallest denominator "
                    + "ratio is %s — no near-zero denominator. See the first-position activation below for why.",
                    romeFirst.size(), f(max(romeFirst, r -> r.ev().pplRatio())), options.bound(),
                    f(min(romeFirst, r -> diag(r, "denominatorRatio")))));
        }
        sb.append("\n\n");

        sb.append("## Perplexity and downstream damage\n\nThe Butterfly-Effect paper proposes perplexity as a surrogate "
                + "for downstream collapse. Across all single edits (all modes): correlation between log perplexity "
                + "ratio and the drop in top-1 recall of untouched facts:\n\n");
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = Math.log(rows.get(i).ev().pplRatio());
            y[i] = recallDrop(rows.get(i));
        }
        double singleR = Correlation.pearson(x, y);
        sb.append(String.format(Locale.ROOT, "| edits | Pearson r | Spearman ρ |%n|---|---|---|%n| %d | %s | %s |%n%n",
                rows.size(), f(singleR), f(Correlation.spearman(x, y))));
        long damaged = rows.stream().filter(row -> recallDrop(row) >= 0.05).count();
        long damagedUnflagged = rows.stream().filter(row -> recallDrop(row) >= 0.05 && !row.ev().collapsed()).count();
        sb.append(String.format(Locale.ROOT, "**Finding.** Across single edits perplexity is a %s surrogate here "
                + "(r = %s). %d of %d edits cost at least 0.05 of untouched-fact recall; the perplexity bound flagged "
                + "%d of them.%n%n", strength(singleR), f(singleR), damaged, rows.size(), damaged - damagedUnflagged));

        sb.append("## Sequential editing\n\n");
        sb.append(String.format(Locale.ROOT, "%d edits from `suites/sequential-100.extended.json`, each applied on top of "
                + "the previous ones; perplexity after every edit (recall of untouched facts in brackets; unedited "
                + "%s).%n%n", sequentialSteps, f(seqBaseRecall)));
        sb.append("![sequential perplexity](" + chart + ")\n\n");
        List<Integer> marks = new ArrayList<>();
        for (int s : new int[] {1, 5, 10, 25, 50, 75, 100}) {
            if (s <= sequentialSteps) {
                marks.add(s);
            }
        }
        sb.append("| method |");
        marks.forEach(m -> sb.append(" after ").append(m).append(" |"));
        sb.append(" first step over the bound |\n|---|");
        marks.forEach(m -> sb.append("---|"));
        sb.append("---|\n");
        trajectories.forEach((method, traj) -> {
            sb.append("| ").append(method).append(" |");
            List<Double> rec = recallTrajectories.get(method);
            for (int m : marks) {
                sb.append(' ').append(m <= traj.size() ? f(traj.get(m - 1)) + " (" + f(rec.get(m - 1)) + ")" : "–")
                        .append(" |");
            }
            int over = firstOverBound(traj);
            sb.append(' ').append(over < 0 ? "never" : Integer.toString(over + 1)).append(" |\n");
        });

        // the Butterfly paper's claim in the sequential setting: does perplexity rise when recall falls?
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        trajectories.forEach((method, traj) -> {
            List<Double> rec = recallTrajectories.get(method);
            for (int i = 0; i < traj.size(); i++) {
                if (Double.isFinite(traj.get(i)) && traj.get(i) > 0) {
                    sx.add(Math.log(traj.get(i) / baselinePpl));
                    sy.add(seqBaseRecall - rec.get(i));
                }
            }
        });
        double[] px = sx.stream().mapToDouble(Double::doubleValue).toArray();
        double[] py = sy.stream().mapToDouble(Double::doubleValue).toArray();
        double sr = Correlation.pearson(px, py);
        sb.append(String.format(Locale.ROOT, "%nOver all %d sequential steps (all methods): Pearson r %s, Spearman ρ %s "
                + "between log perplexity ratio and recall drop — a %s surrogate.%n%n", px.length, f(sr),
                f(Correlation.spearman(px, py)), strength(sr)));
        sb.append("**Finding.** Where recall of untouched facts first falls to half of the unedited model's, and how "
                + "far perplexity had risen by then:\n\n| method | recall halved at edit | perplexity ratio then | "
                + "recall when the bound is crossed |\n|---|---|---|---|\n");
        trajectories.forEach((method, traj) -> {
            List<Double> rec = recallTrajectories.get(method);
            int half = -1;
            for (int i = 0; i < rec.size(); i++) {
                if (rec.get(i) <= seqBaseRecall / 2) {
                    half = i;
                    break;
                }
            }
            int over = firstOverBound(traj);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", method, half < 0 ? "never" : half + 1,
                    half < 0 ? "–" : "×" + f(traj.get(half) / baselinePpl), over < 0 ? "bound not crossed"
                            : f(rec.get(over)) + " (edit " + (over + 1) + ")"));
        });

        sb.append(canaryTable(trajectories, recallTrajectories, seqBaseRecall));
        sb.append(preCheckSection(singlePreCheck(), sequentialPreCheck));

        sb.append("\n## First-position activation\n\nRatio of the residual-stream norm at position 0 to the mean norm "
                + "at later positions (block outputs). Pretrained GPT-2 models show ratios in the tens; that "
                + "massive first-position activation is what drives first-token keys away from prefixed keys."
                + (textStart > 0 ? " Here position 0 is the BOS every input starts with, never a subject token." : "")
                + "\n\n| layer | ratio |\n|---|---|\n");
        for (int l = 0; l < ratios.length; l++) {
            sb.append(String.format(Locale.ROOT, "| %d | %s |%n", l, f(ratios[l])));
        }

        sb.append("\n## Every case\n\n<details><summary>per case and mode</summary>\n\n");
        sb.append("| case | mode | first token | ES | PS | NS | ppl ratio | denominator | denominator ratio | key cosine | "
                + "‖ΔW‖/‖W‖ | recall drop |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CollapseStudy.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.c().caseId(), r.mode(), r.ev().firstToken() ? "yes" : "no", f(r.ev().es()), f(r.ev().ps()),
                    f(r.ev().ns()), f(r.ev().pplRatio()), f(diag(r, "denominator")), f(diag(r, "denominatorRatio")),
                    f(diag(r, "prefixedUnprefixedKeyCosine")), f(diag(r, "relativeUpdateNorm")), f(recallDrop(r))));
        }
        sb.append("\n</details>\n");
        return sb.toString();
    }

    /**
     * Knowledge canaries against perplexity: per method, the first sequential step the canary bound
     * ({@link io.github.editunit.framework.canary.CanaryBound#DEFAULT}, recall of the untouched facts falls by more
     * than 0.10) flags, the first step the perplexity bound flags, the first step both have flagged, and the
     * recall at each (docs/canaries.md).
     */
    String canaryTable(Map<String, List<Double>> trajectories, Map<String, List<Double>> recallTrajectories,
            double baseRecall) {
        io.github.editunit.framework.canary.CanaryBound canary = io.github.editunit.framework.canary.CanaryBound.DEFAULT;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n**Knowledge canaries against perplexity.** The first sequential step each "
                + "check flags: canaries (recall of the untouched facts, bound %s from %s), perplexity (bound %s), and "
                + "both; recall of the untouched facts at that step in brackets.%n%n| method | canaries flag at edit | "
                + "perplexity flags at edit | both have flagged at edit | edits earlier by canaries |%n|---|---|---|---|---|%n",
                canary, f(baseRecall), options.bound()));
        trajectories.forEach((method, traj) -> {
            List<Double> rec = recallTrajectories.get(method);
            int byCanary = -1;
            for (int i = 0; i < rec.size(); i++) {
                if (canary.violated(baseRecall, rec.get(i))) {
                    byCanary = i;
                    break;
                }
            }
            int byPpl = firstOverBound(traj);
            int both = byCanary < 0 || byPpl < 0 ? -1 : Math.max(byCanary, byPpl);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", method, step(byCanary, rec),
                    step(byPpl, rec), step(both, rec), byCanary < 0 ? "–"
                            : byPpl < 0 ? "perplexity never flags" : Integer.toString(byPpl - byCanary)));
        });
        return sb.toString();
    }

    /** Every single edit as a pre-check sample: damaged when the perplexity bound or the canary bound is violated. */
    List<PreCheckSample> singlePreCheck() {
        List<PreCheckSample> out = new ArrayList<>();
        for (CollapseStudy.Row r : rows) {
            Double base = baselineRecall.get(r.c().caseId());
            boolean lost = base != null && CanaryBound.DEFAULT.violated(base, r.recall());
            out.add(PreCheckSample.of(r.mode() + " " + r.c().caseId(), r.ev().diagnostics(), r.ev().collapsed() || lost));
        }
        return out;
    }

    /**
     * The editors' collapse pre-check ({@code collapseProne}: denominator ratio below
     * {@code collapse_denominator_ratio} or ‖ΔW‖/‖W‖ above {@code collapse_update_ratio}) measured as a classifier
     * of actual damage over the single edits and over every sequential step of the methods that have it, with the
     * threshold curve of each input, and where in each sequence it first fires against where damage first shows.
     */
    String preCheckSection(List<PreCheckSample> single, Map<String, List<PreCheckSample>> sequential) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n## The collapse pre-check as a classifier%n%nROME's modes flag an edit as "
                + "collapse-prone before any perplexity run when its denominator ratio is below the hyperparameter "
                + "`collapse_denominator_ratio` or ‖ΔW‖/‖W‖ is above `collapse_update_ratio` (this model's ROME file: %s and %s). "
                + "Positive: the edit left the model damaged — perplexity bound %s or canary bound %s violated. "
                + "Precision: the share of flagged edits that were damaging; recall: the share of damaging edits that "
                + "were flagged (– when undefined); F1 their harmonic mean. Each threshold row uses one input alone.%n",
                f(preCheckThresholds[0]), f(preCheckThresholds[1]), options.bound(), CanaryBound.DEFAULT));
        List<PreCheckSample> seqAll = new ArrayList<>();
        sequential.values().forEach(l -> l.stream().filter(PreCheckSample::hasPreCheck).forEach(seqAll::add));
        sb.append(String.format(Locale.ROOT, "%n**Single edits** (%d edits, all ROME modes; %d damaging).%n%n",
                single.size(), single.stream().filter(PreCheckSample::damaged).count()));
        sb.append(confusionTable(single));
        sb.append(String.format(Locale.ROOT, "%n**Sequential steps** (%d steps of %s; a step is damaging when the model "
                + "after it violates either bound; %d damaging).%n%n", seqAll.size(), String.join(", ",
                sequential.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(PreCheckSample::hasPreCheck))
                        .map(Map.Entry::getKey).toList()), seqAll.stream().filter(PreCheckSample::damaged).count()));
        sb.append(seqAll.isEmpty() ? "No sequential method with a pre-check was run.\n" : confusionTable(seqAll));
        sb.append("\n| method | pre-check first fires at edit | damage first shows at edit | flagged steps |\n"
                + "|---|---|---|---|\n");
        sequential.forEach((method, samples) -> {
            boolean has = samples.stream().anyMatch(PreCheckSample::hasPreCheck);
            int flag = indexOf(samples, PreCheckSample::flagged);
            int damage = indexOf(samples, PreCheckSample::damaged);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", method,
                    has ? (flag < 0 ? "never" : Integer.toString(flag + 1)) : "no pre-check",
                    damage < 0 ? "never" : Integer.toString(damage + 1),
                    has ? Long.toString(samples.stream().filter(PreCheckSample::flagged).count()) : "–"));
        });
        sb.append("\n**Finding.** ").append(preCheckFinding("single edits", single)).append(' ')
                .append(seqAll.isEmpty() ? "" : preCheckFinding("sequential steps", seqAll)).append("\n");
        return sb.toString();
    }

    private static String confusionTable(List<PreCheckSample> samples) {
        StringBuilder sb = new StringBuilder("| rule | flagged damaging | flagged harmless | missed | correctly passed "
                + "| precision | recall | F1 |\n|---|---|---|---|---|---|---|---|\n");
        for (PreCheckEvaluation.Confusion c : PreCheckEvaluation.curve(samples)) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %s |%n", c.rule(), c.truePositives(),
                    c.falsePositives(), c.falseNegatives(), c.trueNegatives(), f(c.precision()), f(c.recall()), f(c.f1())));
        }
        return sb.toString();
    }

    /** What the shipped rule catches and misses on these samples, and the best single-input threshold by F1. */
    static String preCheckFinding(String what, List<PreCheckSample> samples) {
        List<PreCheckEvaluation.Confusion> curve = PreCheckEvaluation.curve(samples);
        PreCheckEvaluation.Confusion shipped = curve.get(0);
        int damaged = shipped.truePositives() + shipped.falseNegatives();
        if (damaged == 0) {
            return String.format(Locale.ROOT, "On the %s no edit was damaging, so recall is undefined; the shipped rule "
                    + "flagged %d harmless edits.", what, shipped.falsePositives());
        }
        PreCheckEvaluation.Confusion best = null;
        for (PreCheckEvaluation.Confusion c : curve.subList(1, curve.size())) {
            if (!Double.isNaN(c.f1()) && (best == null || c.f1() > best.f1())) {
                best = c;
            }
        }
        return String.format(Locale.ROOT, "On the %s the shipped rule catches %d of %d damaging edits (recall %s) and "
                + "flags %d harmless ones (precision %s); it misses %d. The best single threshold by F1 is `%s` "
                + "(F1 %s against the shipped %s).", what, shipped.truePositives(), damaged, f(shipped.recall()),
                shipped.falsePositives(), f(shipped.precision()), shipped.falseNegatives(),
                best == null ? "–" : best.rule(), best == null ? "–" : f(best.f1()), f(shipped.f1()));
    }

    private static int indexOf(List<PreCheckSample> samples, Predicate<PreCheckSample> p) {
        for (int i = 0; i < samples.size(); i++) {
            if (p.test(samples.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String step(int index, List<Double> recall) {
        return index < 0 ? "never" : (index + 1) + " (" + f(recall.get(index)) + ")";
    }

    /** Index of the first sequential step whose perplexity violates the bound, or -1. */
    private int firstOverBound(List<Double> trajectory) {
        for (int i = 0; i < trajectory.size(); i++) {
            if (options.bound().violated(baselinePpl, trajectory.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String strength(double r) {
        double a = Math.abs(r);
        return Double.isNaN(r) ? "undetermined" : a < 0.3 ? "weak" : a < 0.7 ? "moderate" : "strong";
    }

    private double recallDrop(CollapseStudy.Row r) {
        Double base = baselineRecall.get(r.c().caseId());
        return base == null ? Double.NaN : base - r.recall();
    }
}
