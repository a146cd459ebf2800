package io.github.editunit.engine.config;

/**
 * Every configuration key of the {@code hardedit} engine, in one place. Each key can be given
 * (highest precedence first) as an attribute of {@link io.github.editunit.engine.HardEditCases}
 * on the marker class, as a JVM system property, or in {@code junit-platform.properties} (or as
 * a launcher configuration parameter, e.g. Surefire's {@code configurationParameters}); the
 * default applies otherwise. Keys marked "run-wide" are not annotation attributes.
 */
public final class Constants {

    /** Engine id, used in unique ids ({@code [engine:hardedit]}). */
    public static final String ENGINE_ID = "hardedit";

    /**
     * Case files, comma-separated: a classpath resource ({@code hardedit/cases.json}), a file or
     * directory path, or {@code bundled:NAME} for a suite of the bundled model
     * ({@code bundled:single-edit.json}). Annotation: {@code cases} / {@code value}. No default.
     */
    public static final String CASES = "hardedit.cases";

    /**
     * Model directory (Hugging Face layout) or {@code bundled}. Default {@code bundled}. A directory
     * that does not exist or has no {@code config.json} is reported at discovery.
     */
    public static final String MODEL = "hardedit.model";

    /** Device: {@code cpu}, {@code gpu}, {@code gpu:N}. Default {@code cpu}. */
    public static final String DEVICE = "hardedit.device";

    /**
     * Precision the weights are kept and computed in: {@code float32} (default), {@code float16} or
     * {@code bfloat16} ({@code fp32}, {@code fp16}, {@code half}, {@code bf16} are accepted too). The
     * editing algebra (keys, covariance, v*, updates) stays float32/float64 whatever it is. Annotation:
     * {@code dtype}. Another value is a configuration problem reported at discovery; so is
     * {@code bfloat16}, which DJL 0.36's PyTorch bridge cannot represent on any device. Whether
     * {@code float16} computes on the device is checked when the model loads (on the CPU it works but
     * is tens of times slower than float32). See README, "Memory and precision".
     */
    public static final String DTYPE = "hardedit.dtype";

    /**
     * Whether a model is refused at load, before any tensor is read, when its estimated memory
     * (weights in the chosen precision plus the editing working set, printed on stderr at load) exceeds
     * the machine's available memory: {@code true} (default) or {@code false} (load anyway, e.g. when
     * memory will be freed or swap is acceptable). Not an annotation attribute. Another value is a
     * configuration problem reported at discovery.
     */
    public static final String MEMORY_CHECK = "hardedit.memory.check";

    /**
     * Editing methods, comma-separated: rome, c-rome, p-rome, memit, ft-l, ft. Default {@code rome}.
     * Another name is a configuration problem reported at discovery.
     */
    public static final String METHODS = "hardedit.methods";

    /**
     * {@code single} (each case edited alone and restored), {@code sequential} (one sequence per
     * case file, edits kept step after step, restored at the end) or {@code verify} (no edit
     * applied: checks an already edited model against the base). Default {@code single}.
     */
    public static final String MODE = "hardedit.mode";

    /** Verify mode: directory of the edited model. Default: none (use {@link #VERIFY_PATCHES}). */
    public static final String VERIFY_EDITED = "hardedit.verify.edited";

    /** Verify mode: EditUnit weight patches applied on the base model, comma-separated, in order. */
    public static final String VERIFY_PATCHES = "hardedit.verify.patches";

    /** Perplexity corpus (ME-PPL json or text lines). Default {@code <model>/suites/heldout-ppl.json}. */
    public static final String PPL_CORPUS = "hardedit.ppl.corpus";

    /**
     * Number of corpus sentences used: the first N. Default {@code 50}. This is not the paper's ME-PPL_50
     * file (a stratified 50-sentence sample of ME-PPL); point {@link #PPL_CORPUS} at {@code ME-PPL_50.json} for that.
     */
    public static final String PPL_LIMIT = "hardedit.ppl.limit";

    /**
     * Non-collapse bound: ratio to the unedited model ({@code x1.5}) or absolute ({@code abs:200}), or two-sided
     * with a lower limit ({@code x0.5..x1.5}: a fall below ×0.5 fails too). Default {@code x1.5} (one-sided; see
     * docs/canaries.md for why).
     */
    public static final String PPL_BOUND = "hardedit.ppl.bound";

    /**
     * Knowledge canaries, a check next to non-collapse ("knowledge retained"): facts the edits do not touch,
     * measured on the unedited model and after each edit (single), each step (sequential) or on the edited
     * model (verify). {@code none} (default): no canary check; {@code world}: 300 facts of
     * {@code <model>/suites/facts.json} (the bundled models have it) whose subjects no case edits;
     * {@code neighbours}: the cases' neighbourhood prompts; anything else: a canary file (path or classpath
     * resource; see docs/canaries.md). Annotation: {@code canaries}.
     */
    public static final String CANARY_SOURCE = "hardedit.canary.source";

    /**
     * Bound of the canary check: {@code drop:D} (recall may fall by at most D from the unedited model's) or
     * {@code min:M} (recall must stay at least M). Default {@code drop:0.1}. Annotation: {@code canaryBound}.
     */
    public static final String CANARY_BOUND = "hardedit.canary.bound";

    /**
     * Efficacy: minimum efficacy score ES (P(new) &gt; P(true) on the rewrite prompt), in [0, 1] like
     * every threshold (a value outside is a configuration problem reported at discovery). Default {@code 1.0}.
     */
    public static final String THRESHOLD_EFFICACY = "hardedit.threshold.efficacy";

    /** Generalisation: minimum paraphrase score PS (fraction of paraphrases preferring the new object). Default {@code 0.5}. */
    public static final String THRESHOLD_GENERALISATION = "hardedit.threshold.generalisation";

    /** Locality: minimum neighbourhood score NS (fraction of neighbours still preferring their answer). Default {@code 0.5}. */
    public static final String THRESHOLD_LOCALITY = "hardedit.threshold.locality";

    /** Test-time prefix for efficacy ({@code true}/{@code false}); default: the method's hyperparameter file. */
    public static final String TEST_PREFIX = "hardedit.testPrefix";

    /** Seed of the editors' random context templates; default: the hyperparameter file. */
    public static final String SEED = "hardedit.seed";

    /** Use only the first N cases of each file ({@code 0}: all). Default {@code 0}. */
    public static final String LIMIT = "hardedit.limit";

    /**
     * Hyperparameter file, or a directory of them: each method then reads {@code <dir>/<method>.json}
     * (c-rome and p-rome read {@code rome.json}; ft reads {@code ft.json}, else {@code ft-l.json}), and a
     * model directory that has an {@code editunit-hparams/} (where {@code ./editunit tune} writes) stands
     * for that subdirectory. A directory without the file of a method the suite runs is a configuration
     * problem reported at discovery, naming the directory, the method and the file. Default: the model's
     * own {@code editunit-hparams/}, else the catalog entry for the model and method. Annotation:
     * {@code hparams}. The file used per model and method is printed when its editor is made and recorded
     * in the Allure environment ({@code hparams.<method>}, {@code hparams.<method>.source}).
     */
    public static final String HPARAMS = "hardedit.hparams";

    /** Hyperparameter overrides {@code key=value,key=value}, applied to every method. */
    public static final String HPARAM_OVERRIDES = "hardedit.hparams.overrides";

    /**
     * Profile of the shipped hyperparameter sets: {@code reference} (default) or {@code seed} (the seed
     * repository's yaml values and recipes); for GPT-2 XL, GPT-J 6B and Llama-2 7B.
     */
    public static final String HPARAM_PROFILE = "hardedit.hparams.profile";

    /** Covariance statistics cache directory. Default {@code ~/.cache/editunit/stats}. */
    public static final String STATS_DIR = "hardedit.stats.dir";

    /**
     * Corpus for the key covariance (ME-PPL json or text lines). Default {@code <model>/stats-corpus.txt}.
     * Annotation: {@code statsCorpus}. A file that does not exist is a configuration problem reported at
     * discovery.
     */
    public static final String STATS_CORPUS = "hardedit.stats.corpus";

    /**
     * Published second-moment statistics ({@code .npz}, ROME's layout) to use instead of the corpus:
     * {@code FILE} (layer read from ROME's name, {@code transformer.h.17.mlp.c_proj_float32_mom2_100000.npz}
     * → 17) or {@code L=FILE}, comma-separated. Each is checked against the layer, imported into the
     * statistics cache on first use and reported as {@code published} with its SHA-256. Default: none.
     */
    public static final String STATS_FILE = "hardedit.stats.file";

    /**
     * Which texts of {@link #STATS_CORPUS} computed statistics use: {@code first} (default; the first
     * n texts, as always) or {@code random} / {@code random:SEED} (a seeded random n, ROME's
     * {@code random_sample}; seed 1 unless given). Part of the statistics cache key.
     */
    public static final String STATS_SAMPLE = "hardedit.stats.sample";

    /**
     * Methods the data's {@code "expect": "collapse"} applies to (e.g. first-token subjects
     * collapse ROME; C-ROME must not collapse on them), comma-separated. Default {@code rome}.
     */
    public static final String EXPECTATION_METHODS = "hardedit.expectation.methods";

    /**
     * What to do with cases the data expects to collapse: {@code assert} (default: the
     * non-collapse check is inverted and must see the collapse; the other checks are skipped) or
     * {@code fail} (treated like any case: a collapse fails the gate).
     */
    public static final String GATE_EXPECTED_COLLAPSE = "hardedit.gate.expectedCollapse";

    /**
     * Run-wide. Shard {@code INDEX/COUNT} (0-based index): this run executes only its share of
     * the cases (sequential mode: of the sequences), chosen deterministically. Default: from CI
     * variables ({@code CI_NODE_INDEX/CI_NODE_TOTAL}, {@code JOB_COMPLETION_INDEX} with
     * {@code HARDEDIT_SHARD_COUNT} or {@code JOB_COMPLETIONS}, {@code CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL},
     * {@code BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT}), else {@code 0/1}.
     */
    public static final String SHARD = "hardedit.shard";

    /** Run-wide. {@code allure} (default; inactive when Allure is not on the classpath) or {@code none}. */
    public static final String REPORTER = "hardedit.reporter";

    /** Run-wide. Per-case progress and a summary line on stderr ({@code true}/{@code false}). Default {@code true}. */
    public static final String PROGRESS = "hardedit.progress";

    private Constants() {}
}
