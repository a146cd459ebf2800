package io.github.editunit.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a (usually empty) test class whose name Surefire includes, e.g.
 * {@code @HardEditCases(cases = "hardedit/cases.json", methods = {"rome", "c-rome"}) class CasesTest {}}.
 * The {@code hardedit} engine turns it into class → method → case → checks. Every attribute
 * overrides the matching key of {@link io.github.editunit.engine.config.Constants}; an empty
 * string, empty array or negative number means "not set here".
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HardEditCases {

    /** Alias of {@link #cases()}. */
    String[] value() default {};

    /** {@code hardedit.cases}: classpath resources, paths or {@code bundled:NAME}. */
    String[] cases() default {};

    /** {@code hardedit.model}: model directory or {@code bundled}. */
    String model() default "";

    /** {@code hardedit.device}. */
    String device() default "";

    /** {@code hardedit.dtype}: float32, float16 or bfloat16. */
    String dtype() default "";

    /** {@code hardedit.methods}. */
    String[] methods() default {};

    /** {@code hardedit.mode}: single, sequential or verify. */
    String mode() default "";

    /** {@code hardedit.verify.edited}. */
    String verifyEdited() default "";

    /** {@code hardedit.verify.patches}. */
    String[] verifyPatches() default {};

    /** {@code hardedit.ppl.corpus}. */
    String pplCorpus() default "";

    /** {@code hardedit.ppl.limit}: the corpus's first N sentences (not the paper's ME-PPL_50 file, a stratified sample). */
    int pplLimit() default -1;

    /** {@code hardedit.ppl.bound}: {@code x1.5}, {@code abs:200} or two-sided {@code x0.5..x1.5}. */
    String pplBound() default "";

    /** {@code hardedit.canary.source}: {@code none}, {@code world}, {@code neighbours} or a canary file. */
    String canaries() default "";

    /** {@code hardedit.canary.bound}: {@code drop:0.1} or {@code min:0.9}. */
    String canaryBound() default "";

    /** {@code hardedit.threshold.efficacy}. */
    double efficacy() default -1;

    /** {@code hardedit.threshold.generalisation}. */
    double generalisation() default -1;

    /** {@code hardedit.threshold.locality}. */
    double locality() default -1;

    /** {@code hardedit.testPrefix}: {@code "true"} or {@code "false"}. */
    String testPrefix() default "";

    /** {@code hardedit.seed}. */
    long seed() default -1;

    /** {@code hardedit.limit}. */
    int limit() default -1;

    /**
     * {@code hardedit.hparams}: a hyperparameter file, or a directory of them where each method reads
     * {@code <dir>/<method>.json} (c-rome and p-rome {@code rome.json}; a model directory stands for its
     * {@code editunit-hparams/}). A path relative to the working directory. A directory without the file
     * of a method the suite runs is an invalid configuration naming the directory, the method and the file.
     */
    String hparams() default "";

    /** {@code hardedit.hparams.overrides}: {@code key=value} entries. */
    String[] hparamOverrides() default {};

    /**
     * {@code hardedit.stats.corpus}: the corpus the key covariance C is computed from (ME-PPL json or
     * text lines), a path relative to the working directory like {@link #pplCorpus()}. Default: the
     * model's {@code stats-corpus.txt}. A file that does not exist is an invalid configuration.
     */
    String statsCorpus() default "";

    /** {@code hardedit.expectation.methods}. */
    String[] expectationMethods() default {};

    /** {@code hardedit.gate.expectedCollapse}: assert or fail. */
    String expectedCollapse() default "";
}
