package io.github.editunit.engine.config;

import io.github.editunit.engine.HardEditCases;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.canary.CanaryBound;
import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.model.Precision;
import io.github.editunit.framework.model.PrecisionSupport;
import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * Resolves every key with the precedence annotation → system property → launcher configuration
 * ({@code junit-platform.properties}, Surefire {@code configurationParameters}) → default.
 */
public final class ConfigurationResolver {

    /** The perplexity corpus inside a model directory used when {@link Constants#PPL_CORPUS} is not set. */
    public static final String DEFAULT_PPL_CORPUS = "suites/heldout-ppl.json";

    private final ConfigurationParameters parameters;

    public ConfigurationResolver(ConfigurationParameters parameters) {
        this.parameters = parameters;
    }

    /** A key from system properties or the launcher configuration (no annotation). */
    public Optional<String> get(String key) {
        String sys = System.getProperty(key);
        if (sys != null && !sys.isBlank()) {
            return Optional.of(sys.trim());
        }
        return parameters.get(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * The configuration of a marker class ({@code annotation} may be null for directly selected files).
     *
     * @throws IllegalArgumentException for a value that does not parse, naming the key or attribute it came from
     */
    public HardEditConfiguration resolve(HardEditCases a) {
        List<String> cases = list(Constants.CASES, a == null ? null : concat(a.value(), a.cases()));
        String model = str(Constants.MODEL, a == null ? null : a.model(), "bundled");
        String device = str(Constants.DEVICE, a == null ? null : a.device(), "cpu");
        String dtype = str(Constants.DTYPE, a == null ? null : a.dtype(), "float32");
        String memoryCheck = get(Constants.MEMORY_CHECK).orElse("true");
        List<String> methods = list(Constants.METHODS, a == null ? null : a.methods());
        if (methods.isEmpty()) {
            methods = List.of("rome");
        }
        methods = methods.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        Mode mode = parse(origin(Constants.MODE, "mode", a != null && !a.mode().isBlank()),
                str(Constants.MODE, a == null ? null : a.mode(), "single"), Mode::parse);
        String edited = str(Constants.VERIFY_EDITED, a == null ? null : a.verifyEdited(), null);
        List<String> patches = list(Constants.VERIFY_PATCHES, a == null ? null : a.verifyPatches());
        String corpus = str(Constants.PPL_CORPUS, a == null ? null : a.pplCorpus(), null);
        int pplLimit = (int) num(Constants.PPL_LIMIT, a == null ? -1 : a.pplLimit(), 50);
        CollapseBound bound = parse(origin(Constants.PPL_BOUND, "pplBound", a != null && !a.pplBound().isBlank()),
                str(Constants.PPL_BOUND, a == null ? null : a.pplBound(), "x1.5"), CollapseBound::parse);
        String canarySource = str(Constants.CANARY_SOURCE, a == null ? null : a.canaries(), "none");
        if (canarySource.equalsIgnoreCase("none")) {
            canarySource = null;
        }
        CanaryBound canaryBound = parse(origin(Constants.CANARY_BOUND, "canaryBound", a != null && !a.canaryBound().isBlank()),
                str(Constants.CANARY_BOUND, a == null ? null : a.canaryBound(), CanaryBound.DEFAULT.spec()), CanaryBound::parse);
        double efficacy = num(Constants.THRESHOLD_EFFICACY, a == null ? -1 : a.efficacy(), 1.0);
        double generalisation = num(Constants.THRESHOLD_GENERALISATION, a == null ? -1 : a.generalisation(), 0.5);
        double locality = num(Constants.THRESHOLD_LOCALITY, a == null ? -1 : a.locality(), 0.5);
        String prefix = str(Constants.TEST_PREFIX, a == null ? null : a.testPrefix(), null);
        Boolean testPrefix = prefix == null ? null : Boolean.parseBoolean(prefix);
        double seedValue = num(Constants.SEED, a == null ? -1 : a.seed(), -1);
        Long seed = seedValue < 0 ? null : (long) seedValue;
        int limit = (int) num(Constants.LIMIT, a == null ? -1 : a.limit(), 0);
        String hparams = str(Constants.HPARAMS, a == null ? null : a.hparams(), null);
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String kv : list(Constants.HPARAM_OVERRIDES, a == null ? null : a.hparamOverrides())) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(origin(Constants.HPARAM_OVERRIDES, "hparamOverrides",
                        a != null && a.hparamOverrides().length > 0) + ": expected key=value, got '" + kv + "'");
            }
            overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        // the profile travels with the overrides under the catalog's selector key (not a hyperparameter value)
        get(Constants.HPARAM_PROFILE).map(String::trim).filter(p -> !p.isEmpty())
                .ifPresent(p -> overrides.put(HyperparameterCatalog.PROFILE, p));
        String statsDir = get(Constants.STATS_DIR).orElse(null);
        String statsCorpus = str(Constants.STATS_CORPUS, a == null ? null : a.statsCorpus(), null);
        String statsFile = get(Constants.STATS_FILE).orElse(null);
        String statsSample = get(Constants.STATS_SAMPLE).orElse("first");
        List<String> expectationMethods = list(Constants.EXPECTATION_METHODS, a == null ? null : a.expectationMethods());
        if (expectationMethods.isEmpty()) {
            expectationMethods = List.of("rome");
        }
        expectationMethods = expectationMethods.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        ExpectedCollapseGate gate = parse(origin(Constants.GATE_EXPECTED_COLLAPSE, "expectedCollapse",
                a != null && !a.expectedCollapse().isBlank()),
                str(Constants.GATE_EXPECTED_COLLAPSE, a == null ? null : a.expectedCollapse(), "assert"),
                ExpectedCollapseGate::parse);
        return new HardEditConfiguration(cases, model, device, dtype, memoryCheck, methods, mode, edited, patches, corpus, pplLimit, bound,
                canarySource, canaryBound, efficacy, generalisation, locality, testPrefix, seed, limit, hparams, Map.copyOf(overrides), statsDir,
                statsCorpus, statsFile, statsSample, expectationMethods, gate);
    }

    /**
     * What cannot work in a resolved configuration, found before any model loads: unknown methods,
     * device or dtype (and bfloat16, which the runtime cannot represent), a memory check that is not
     * true/false, thresholds outside [0, 1], missing model directories, corpora, hyperparameter files
     * (and, in a hyperparameter directory, the file of a method the suite runs) and weight patches. Each message names the annotation attribute or key the value came from.
     */
    public List<String> problems(HardEditCases a, HardEditConfiguration c) {
        List<String> out = new ArrayList<>();
        if (c.mode() != Mode.VERIFY) {
            unknownMethods(c.methods(), origin(Constants.METHODS, "methods", a != null && a.methods().length > 0), out);
        }
        unknownMethods(c.expectationMethods(), origin(Constants.EXPECTATION_METHODS, "expectationMethods",
                a != null && a.expectationMethods().length > 0), out);
        threshold(c.efficacy(), origin(Constants.THRESHOLD_EFFICACY, "efficacy", a != null && a.efficacy() >= 0), out);
        threshold(c.generalisation(), origin(Constants.THRESHOLD_GENERALISATION, "generalisation",
                a != null && a.generalisation() >= 0), out);
        threshold(c.locality(), origin(Constants.THRESHOLD_LOCALITY, "locality", a != null && a.locality() >= 0), out);
        try {
            DjlRuntime.device(c.device());
        } catch (RuntimeException e) {
            out.add(origin(Constants.DEVICE, "device", a != null && !a.device().isBlank()) + ": unknown device '"
                    + c.device() + "'; use cpu, gpu or gpu:N");
        }
        String dtypeFrom = origin(Constants.DTYPE, "dtype", a != null && !a.dtype().isBlank());
        try {
            PrecisionSupport.staticProblem(Precision.parse(c.dtype())).ifPresent(p -> out.add(dtypeFrom + ": " + p));
        } catch (IllegalArgumentException e) {
            out.add(dtypeFrom + ": unknown dtype '" + c.dtype() + "'; valid dtypes are " + Precision.allowed());
        }
        String check = c.memoryCheck() == null ? "true" : c.memoryCheck().trim();
        if (!check.equalsIgnoreCase("true") && !check.equalsIgnoreCase("false")) {
            out.add(Constants.MEMORY_CHECK + ": '" + c.memoryCheck() + "' is not true or false");
        }
        String modelFrom = origin(Constants.MODEL, "model", a != null && !a.model().isBlank());
        boolean modelOk = modelDirectoryProblem(c.model()).map(p -> out.add(modelFrom + ": " + p)).isEmpty();
        if (c.pplCorpus() != null) {
            missingFile(c.pplCorpus(), "perplexity corpus", origin(Constants.PPL_CORPUS, "pplCorpus",
                    a != null && !a.pplCorpus().isBlank()), out);
        } else if (modelOk && !BundledModels.isBundled(c.model())
                && !Files.isRegularFile(Paths.get(c.model()).resolve(DEFAULT_PPL_CORPUS))) {
            out.add(Constants.PPL_CORPUS + ": not set, and the default "
                    + Paths.get(c.model()).resolve(DEFAULT_PPL_CORPUS).toAbsolutePath() + " does not exist: set "
                    + Constants.PPL_CORPUS + " or @HardEditCases(pplCorpus)");
        }
        if (c.hparams() != null) {
            String from = origin(Constants.HPARAMS, "hparams", a != null && !a.hparams().isBlank());
            Path hparams = Paths.get(c.hparams());
            if (Files.isDirectory(hparams)) {
                if (c.mode() != Mode.VERIFY) {
                    missingHyperparameters(hparams, c.methods(), from, out);
                }
            } else {
                missingFile(c.hparams(), "hyperparameter file", from, out);
            }
        }
        if (c.statsCorpus() != null) {
            missingFile(c.statsCorpus(), "statistics corpus", origin(Constants.STATS_CORPUS, "statsCorpus",
                    a != null && !a.statsCorpus().isBlank()), out);
        }
        try {
            io.github.editunit.framework.stats.StatsSources.parsePublished(c.statsFile())
                    .values().forEach(f -> missingFile(f.toString(), "published statistics file", Constants.STATS_FILE, out));
        } catch (IllegalArgumentException e) {
            out.add(Constants.STATS_FILE + ": " + e.getMessage());
        }
        try {
            io.github.editunit.framework.stats.StatsSampling.parse(c.statsSample());
        } catch (IllegalArgumentException e) {
            out.add(Constants.STATS_SAMPLE + ": " + e.getMessage());
        }
        if (c.canariesEnabled() && modelOk) {
            String from = origin(Constants.CANARY_SOURCE, "canaries", a != null && !a.canaries().isBlank());
            CanarySource.problem(c.canarySource(), c.model()).ifPresent(p -> out.add(from + ": " + p));
        }
        if (c.mode() == Mode.VERIFY) {
            if (c.verifyEdited() != null) {
                String from = origin(Constants.VERIFY_EDITED, "verifyEdited", a != null && !a.verifyEdited().isBlank());
                modelDirectoryProblem(c.verifyEdited()).ifPresent(p -> out.add(from + ": " + p));
            } else if (c.verifyPatches().isEmpty()) {
                out.add(Constants.MODE + ": verify mode needs the edited model: set " + Constants.VERIFY_EDITED + " or "
                        + Constants.VERIFY_PATCHES + " (@HardEditCases(verifyEdited) or @HardEditCases(verifyPatches))");
            } else {
                String from = origin(Constants.VERIFY_PATCHES, "verifyPatches", a != null && a.verifyPatches().length > 0);
                for (String patch : c.verifyPatches()) {
                    missingFile(patch, "weight patch", from, out);
                }
            }
        }
        return out;
    }

    /**
     * Why {@code model} (a directory or {@code bundled}) cannot be loaded, judged from the file system
     * only: the directory does not exist, is a file, or has no {@code config.json}.
     */
    public static Optional<String> modelDirectoryProblem(String model) {
        if (BundledModels.isBundled(model)) {
            return Optional.empty();
        }
        Path dir = Paths.get(model);
        if (!Files.exists(dir)) {
            return Optional.of("model directory " + dir.toAbsolutePath() + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of(dir.toAbsolutePath() + " is a file, not a model directory");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            return Optional.of("model directory " + dir.toAbsolutePath()
                    + " has no config.json (expected a Hugging Face model directory)");
        }
        return Optional.empty();
    }

    private static void unknownMethods(List<String> methods, String from, List<String> out) {
        for (String m : methods) {
            if (!EditorFactory.METHODS.contains(m)) {
                out.add(from + ": unknown method '" + m + "'; valid methods are " + String.join(", ", EditorFactory.METHODS));
            }
        }
    }

    /** A hyperparameter directory must hold the file of every (known) method the suite runs. */
    private static void missingHyperparameters(Path dir, List<String> methods, String from, List<String> out) {
        for (String m : methods) {
            if (EditorFactory.METHODS.contains(m) && HyperparameterCatalog.fileInDirectory(dir, m) == null) {
                out.add(from + ": " + HyperparameterCatalog.missingInDirectory(dir, m));
            }
        }
    }

    private static void threshold(double value, String from, List<String> out) {
        if (!(value >= 0 && value <= 1)) {
            out.add(from + ": threshold " + value + " is outside [0, 1] (scores are fractions)");
        }
    }

    private static void missingFile(String file, String what, String from, List<String> out) {
        Path p = Paths.get(file);
        if (!Files.isRegularFile(p)) {
            out.add(from + ": " + what + " " + p.toAbsolutePath() + (Files.isDirectory(p) ? " is a directory"
                    : " does not exist"));
        }
    }

    /** How a message names the setting: the annotation attribute if it was given there, else the key. */
    private static String origin(String key, String attribute, boolean annotated) {
        return annotated ? "@HardEditCases(" + attribute + ")" : key;
    }

    /** The run-wide shard: {@code hardedit.shard}, else CI variables, else everything. */
    public Shard shard() {
        return get(Constants.SHARD).map(s -> parse(Constants.SHARD, s, Shard::parse))
                .orElseGet(() -> Shard.fromEnvironment(System.getenv()));
    }

    public String reporter() {
        return get(Constants.REPORTER).orElse("allure");
    }

    public boolean progress() {
        return get(Constants.PROGRESS).map(Boolean::parseBoolean).orElse(true);
    }

    private String str(String key, String annotated, String dflt) {
        if (annotated != null && !annotated.isBlank()) {
            return annotated.trim();
        }
        return get(key).orElse(dflt);
    }

    private double num(String key, double annotated, double dflt) {
        if (annotated >= 0) {
            return annotated;
        }
        return get(key).map(s -> parse(key, s, Double::parseDouble)).orElse(dflt);
    }

    private List<String> list(String key, String[] annotated) {
        if (annotated != null && annotated.length > 0) {
            return Arrays.stream(annotated).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return get(key).map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList())
                .orElse(List.of());
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(Arrays.asList(a));
        all.addAll(Arrays.asList(b));
        return all.toArray(String[]::new);
    }

    /** Parses {@code value}; a failure names {@code from}, the key or attribute the value came from. */
    private static <T> T parse(String from, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for " + from + ": " + e.getMessage(), e);
        }
    }
}
