package io.github.editunit.engine.config;

import io.github.editunit.engine.HardEditCases;
import io.github.editunit.framework.evaluation.CollapseBound;
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

    /** The configuration of a marker class ({@code annotation} may be null for directly selected files). */
    public HardEditConfiguration resolve(HardEditCases a) {
        List<String> cases = list(Constants.CASES, a == null ? null : concat(a.value(), a.cases()));
        String model = str(Constants.MODEL, a == null ? null : a.model(), "bundled");
        String device = str(Constants.DEVICE, a == null ? null : a.device(), "cpu");
        List<String> methods = list(Constants.METHODS, a == null ? null : a.methods());
        if (methods.isEmpty()) {
            methods = List.of("rome");
        }
        methods = methods.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
        Mode mode = Mode.parse(str(Constants.MODE, a == null ? null : a.mode(), "single"));
        String edited = str(Constants.VERIFY_EDITED, a == null ? null : a.verifyEdited(), null);
        List<String> patches = list(Constants.VERIFY_PATCHES, a == null ? null : a.verifyPatches());
        String corpus = str(Constants.PPL_CORPUS, a == null ? null : a.pplCorpus(), null);
        int pplLimit = (int) num(Constants.PPL_LIMIT, a == null ? -1 : a.pplLimit(), 50);
        CollapseBound bound = parse(Constants.PPL_BOUND, str(Constants.PPL_BOUND, a == null ? null : a.pplBound(), "x1.5"),
                CollapseBound::parse);
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
                throw new IllegalArgumentException(Constants.HPARAM_OVERRIDES + ": expected key=value, got '" + kv + "'");
            }
            overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        String statsDir = get(Constants.STATS_DIR).orElse(null);
        String statsCorpus = get(Constants.STATS_CORPUS).orElse(null);
        List<String> expectationMethods = list(Constants.EXPECTATION_METHODS, a == null ? null : a.expectationMethods());
        if (expectationMethods.isEmpty()) {
            expectationMethods = List.of("rome");
        }
        ExpectedCollapseGate gate = ExpectedCollapseGate.parse(
                str(Constants.GATE_EXPECTED_COLLAPSE, a == null ? null : a.expectedCollapse(), "assert"));
        return new HardEditConfiguration(cases, model, device, methods, mode, edited, patches, corpus, pplLimit, bound,
                efficacy, generalisation, locality, testPrefix, seed, limit, hparams, Map.copyOf(overrides), statsDir,
                statsCorpus, expectationMethods, gate);
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

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for " + key + ": " + e.getMessage(), e);
        }
    }
}
