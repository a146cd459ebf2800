package io.github.editunit.engine.execution;

import io.github.editunit.engine.config.HardEditConfiguration;
import org.junit.platform.engine.support.hierarchical.EngineExecutionContext;

/**
 * What a node sees while it runs: the run (shared models, reporter, progress), and the suite,
 * method, case and sequence it belongs to. Immutable; each level returns a copy with its part.
 */
public final class HardEditExecutionContext implements EngineExecutionContext {

    private final RunState run;
    private final String suiteName;
    private final HardEditConfiguration configuration;
    private final String method;
    private final CaseState caseState;
    private final SequenceState sequence;

    public HardEditExecutionContext(RunState run) {
        this(run, null, null, null, null, null);
    }

    private HardEditExecutionContext(RunState run, String suiteName, HardEditConfiguration configuration, String method,
            CaseState caseState, SequenceState sequence) {
        this.run = run;
        this.suiteName = suiteName;
        this.configuration = configuration;
        this.method = method;
        this.caseState = caseState;
        this.sequence = sequence;
    }

    public RunState run() {
        return run;
    }

    public String suiteName() {
        return suiteName;
    }

    public HardEditConfiguration configuration() {
        return configuration;
    }

    public String method() {
        return method;
    }

    public CaseState caseState() {
        return caseState;
    }

    public SequenceState sequence() {
        return sequence;
    }

    public HardEditExecutionContext withSuite(String name, HardEditConfiguration config) {
        return new HardEditExecutionContext(run, name, config, null, null, null);
    }

    public HardEditExecutionContext withMethod(String m) {
        return new HardEditExecutionContext(run, suiteName, configuration, m, null, null);
    }

    public HardEditExecutionContext withCase(CaseState c) {
        return new HardEditExecutionContext(run, suiteName, configuration, method, c, sequence);
    }

    public HardEditExecutionContext withSequence(SequenceState s) {
        return new HardEditExecutionContext(run, suiteName, configuration, method, null, s);
    }
}
