package io.github.editunit.engine;

/** Marker classes used by the engine tests (not named *Test: Surefire must not run them directly). */
final class Suites {

    private Suites() {}

    @HardEditCases(cases = "hardedit/cases.json", methods = {"rome", "c-rome"}, pplBound = "x1000")
    static final class TwoMethods {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1, pplBound = "abs:1")
    static final class TightBound {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "ft-l", limit = 1, hparamOverrides = "lr=0", pplBound = "x1000")
    static final class NoOpEdit {}

    @HardEditCases(cases = {"hardedit/broken.json", "hardedit/cases.json"}, methods = "rome", limit = 1, pplBound = "x1000")
    static final class WithBrokenFile {}

    @HardEditCases(cases = "hardedit/expect-collapse.json", methods = "rome", pplBound = "abs:1")
    static final class ExpectedCollapse {}

    @HardEditCases(cases = "hardedit/expect-collapse.json", methods = "rome", pplBound = "abs:1", expectedCollapse = "fail")
    static final class ExpectedCollapseAsGate {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", mode = "sequential", pplBound = "x1000")
    static final class Sequence {}

    @HardEditCases(cases = "hardedit/cases.json", mode = "verify", verifyEdited = "bundled", limit = 1, pplBound = "x1.5")
    static final class VerifyUnedited {}

    /** The edit itself throws (no layer 99): an infrastructure error of the case container. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1, hparamOverrides = "layer=99", pplBound = "x1000")
    static final class EditThrows {}

    /** The suite `editunit mine` wrote for the bundled GPT-2 (models/editunit-tiny/suites/hard-rome.json). */
    @HardEditCases(cases = "bundled:hard-rome.json", methods = "rome")
    static final class MinedGpt2 {}

    /** The suite `editunit mine` wrote for the bundled Llama, with its expected collapse. */
    @HardEditCases(cases = "bundled:editunit-tiny-llama/hard-rome.json", model = "editunit-tiny-llama", methods = "rome")
    static final class MinedLlama {}

    /** Knowledge canaries of the world, a generous bound: every knowledge-retained check passes. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", canaries = "world", canaryBound = "drop:0.5", pplBound = "x1000")
    static final class CanariesRetained {}

    /** Six sequential ROME edits of the bundled suite: the canaries fall past drop:0.1 while perplexity stays in ×1.5. */
    @HardEditCases(cases = "bundled:sequential-100.json", methods = "rome", mode = "sequential", limit = 6, canaries = "world",
            canaryBound = "drop:0.1", pplBound = "x1.5")
    static final class CanariesLostInSequence {}

    /** Verify mode on the unedited model: the model-level knowledge check passes. */
    @HardEditCases(cases = "hardedit/cases.json", mode = "verify", verifyEdited = "bundled", limit = 1, canaries = "world",
            canaryBound = "min:1.0", pplBound = "x1.5")
    static final class CanariesVerify {}

    /** A canary file with a record without its target: an invalid configuration naming file, line and field. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", canaries = "hardedit/canaries-broken.json")
    static final class CanariesBroken {}

    @HardEditCases(cases = "hardedit/missing.json")
    static final class MissingFile {}

    /** A case file with no records. */
    @HardEditCases(cases = "hardedit/empty.json", methods = "rome")
    static final class EmptyFile {}

    /** t1's only neighbour answers the new target: its locality check cannot pass. */
    @HardEditCases(cases = "hardedit/locality-target.json", methods = "rome")
    static final class LocalityTruthIsTarget {}

    @HardEditCases(cases = "hardedit/cases.json", methods = {"rome", "romee"})
    static final class UnknownMethod {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", efficacy = 1.5)
    static final class ThresholdOutOfRange {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", model = "no/such/model-dir")
    static final class MissingModelDirectory {}

    // BundledSuiteResolutionTest: bundled:SUITE of the run's bundled model, bundled:MODEL/SUITE
    @HardEditCases(cases = "bundled:single-edit.json", model = "editunit-tiny-llama", methods = "rome", limit = 2)
    static final class BundledLlamaSuite {}

    @HardEditCases(cases = "bundled:single-edit.json", methods = "rome", limit = 2)
    static final class BundledDefaultSuite {}

    @HardEditCases(cases = "bundled:editunit-tiny-llama/single-edit.json", methods = "rome", limit = 2)
    static final class BundledNamedSuite {}

    @HardEditCases(cases = "bundled:no-such-suite.json", model = "editunit-tiny-llama", methods = "rome")
    static final class BundledMissingSuite {}

    /** ShardMergeTest: five cases whose shard keys fall into all three shards of 3 (s1, s2 → 0; s7 → 1; s3, s5 → 2). */
    @HardEditCases(cases = "hardedit/shards.json", methods = "rome", pplBound = "x1000")
    static final class Sharded {}

    // HyperparameterDirectoryTest: relative paths (the working directory is the module's), created by the test
    /** Where HyperparameterDirectoryTest lays out its hyperparameter directories and corpora. */
    static final String HPARAMS_WORK = "target/hparams-directory-test";

    /** A tuned directory (rome.json editing layer 1, with _provenance) and its own statistics corpus. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1, pplBound = "x1000",
            hparams = HPARAMS_WORK + "/tuned", statsCorpus = HPARAMS_WORK + "/engine-test-stats.txt")
    static final class TunedDirectory {}

    /** The same directory, the statistics corpus of the run's key: its own statistics, not TunedDirectory's. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1, pplBound = "x1000",
            hparams = HPARAMS_WORK + "/tuned")
    static final class TunedDirectoryKeyCorpus {}

    /** A directory that holds memit.json only: the rome suite has no file. */
    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1, hparams = HPARAMS_WORK + "/memit-only")
    static final class DirectoryWithoutRome {}

    @HardEditCases(cases = "hardedit/cases.json", methods = "rome", limit = 1,
            statsCorpus = HPARAMS_WORK + "/no-such-stats-corpus.txt")
    static final class MissingStatsCorpus {}
}
