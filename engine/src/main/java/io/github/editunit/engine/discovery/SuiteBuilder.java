package io.github.editunit.engine.discovery;

import io.github.editunit.engine.config.Constants;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.config.Mode;
import io.github.editunit.engine.config.Shard;
import io.github.editunit.engine.descriptor.CaseDescriptor;
import io.github.editunit.engine.descriptor.CheckDescriptor;
import io.github.editunit.engine.descriptor.CheckKind;
import io.github.editunit.engine.descriptor.MethodDescriptor;
import io.github.editunit.engine.descriptor.ProblemDescriptor;
import io.github.editunit.engine.descriptor.SequenceDescriptor;
import io.github.editunit.engine.descriptor.SuiteDescriptor;
import io.github.editunit.engine.descriptor.Tags;
import io.github.editunit.engine.descriptor.UniqueIds;
import io.github.editunit.hardedit.cases.CaseProblem;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;

/**
 * Builds one suite's tree from its configuration: methods → cases (or sequences → steps) →
 * checks, keeping only this shard's share. Records the reader rejected become discovery issues
 * naming file, line and field, plus a failing "invalid case record" test, so the rest still runs.
 * A configuration that cannot work becomes {@link #invalid one issue and one failing test per problem}.
 */
public final class SuiteBuilder {

    /** Where discovery issues go. */
    public interface IssueSink {
        void report(DiscoveryIssue issue);
    }

    private final CaseFileLocator locator;
    private final Shard shard;
    private final IssueSink issues;

    public SuiteBuilder(CaseFileLocator locator, Shard shard, IssueSink issues) {
        this.locator = locator;
        this.shard = shard;
        this.issues = issues;
    }

    public SuiteDescriptor build(UniqueId id, String name, TestSource source, HardEditConfiguration config) {
        if (config.cases().isEmpty()) {
            return invalid(id, name, name, source, config, List.of(Constants.CASES
                    + ": no case files: set @HardEditCases(cases = ...) or " + Constants.CASES));
        }
        SuiteDescriptor suite = new SuiteDescriptor(id, name, source, config);
        List<LoadedCaseFile> files = config.cases().stream().flatMap(spec -> locator.load(spec, config.model()).stream()).toList();
        int problemIndex = 0;
        for (LoadedCaseFile f : files) {
            for (CaseProblem p : f.result().problems()) {
                if (p.isError()) {
                    problem(suite, p, problemSource(f, p), ++problemIndex);
                }
            }
        }
        List<String> methods = config.mode() == Mode.VERIFY ? List.of("verify") : config.methods();
        for (String method : methods) {
            MethodDescriptor m = new MethodDescriptor(UniqueIds.method(id, method), method);
            for (LoadedCaseFile f : files) {
                List<EditCase> cases = limited(f.result().cases(), config.limit());
                switch (config.mode()) {
                    case SINGLE, VERIFY -> {
                        for (EditCase c : cases) {
                            if (shard.owns(f.key() + "#" + c.caseId())) {
                                m.addChild(caseNode(m.getUniqueId(), f, c, method, config.mode() == Mode.VERIFY
                                        ? CaseDescriptor.Role.VERIFY : CaseDescriptor.Role.SINGLE, config, cases));
                            }
                        }
                    }
                    case SEQUENTIAL -> {
                        if (!cases.isEmpty() && shard.owns(f.key())) {
                            SequenceDescriptor seq = new SequenceDescriptor(UniqueIds.sequence(m.getUniqueId(), f.key()),
                                    f.fileName(), method, f.fileSource());
                            for (EditCase c : cases) {
                                seq.addChild(caseNode(seq.getUniqueId(), f, c, method, CaseDescriptor.Role.STEP, config, cases));
                            }
                            m.addChild(seq);
                        }
                    }
                }
            }
            if (config.mode() == Mode.VERIFY && !m.getChildren().isEmpty()) {
                m.addChild(new CheckDescriptor(UniqueIds.check(m.getUniqueId(), CheckKind.NON_COLLAPSE),
                        CheckKind.NON_COLLAPSE, CheckDescriptor.EDITED_MODEL, Set.of(), source));
                if (config.canariesEnabled()) {
                    m.addChild(new CheckDescriptor(UniqueIds.check(m.getUniqueId(), CheckKind.KNOWLEDGE),
                            CheckKind.KNOWLEDGE, CheckDescriptor.EDITED_MODEL, Set.of(), source));
                }
            }
            if (!m.getChildren().isEmpty()) {
                suite.addChild(m);
            }
        }
        return suite;
    }

    /**
     * A suite whose configuration cannot work: no cases, only one discovery issue and one failing
     * "invalid configuration" test per problem, so it is reported once, before any model loads,
     * instead of once per case.
     *
     * @param owner what the messages name (the marker class, or "case files")
     * @param config the configuration, or null when it did not resolve
     */
    public SuiteDescriptor invalid(UniqueId id, String name, String owner, TestSource source,
            HardEditConfiguration config, List<String> problems) {
        SuiteDescriptor suite = new SuiteDescriptor(id, name, source, config);
        int index = 0;
        for (String message : problems) {
            CaseProblem p = new CaseProblem(CaseProblem.Severity.ERROR, owner, 0, 0, 0, null, null, message);
            DiscoveryIssue.Builder b = DiscoveryIssue.builder(DiscoveryIssue.Severity.WARNING,
                    "hardedit: invalid configuration: " + p);
            if (source != null) {
                b.source(source);
            }
            issues.report(b.build());
            suite.addChild(new ProblemDescriptor(UniqueIds.problem(id, "configuration", 0, ++index),
                    ProblemDescriptor.Kind.CONFIGURATION, p, source));
        }
        return suite;
    }

    private CaseDescriptor caseNode(UniqueId parent, LoadedCaseFile f, EditCase c, String method, CaseDescriptor.Role role,
            HardEditConfiguration config, List<EditCase> fileCases) {
        UniqueId id = role == CaseDescriptor.Role.STEP ? UniqueIds.step(parent, f.key(), c.caseId())
                : UniqueIds.editCase(parent, f.key(), c.caseId());
        TestSource source = f.recordSource().apply(c.source());
        CaseDescriptor node = new CaseDescriptor(id, c, f.fileName(), role, method, source, fileCases);
        EnumSet<CheckKind> kinds = role == CaseDescriptor.Role.VERIFY
                ? EnumSet.of(CheckKind.EFFICACY, CheckKind.GENERALISATION, CheckKind.LOCALITY) : EnumSet.allOf(CheckKind.class);
        if (role != CaseDescriptor.Role.VERIFY && !config.canariesEnabled()) {
            kinds.remove(CheckKind.KNOWLEDGE);
        }
        for (CheckKind k : kinds) {
            node.addChild(new CheckDescriptor(UniqueIds.check(id, k), k, node.getDisplayName(), Tags.of(c, method), source));
        }
        return node;
    }

    private void problem(SuiteDescriptor suite, CaseProblem p, TestSource source, int index) {
        DiscoveryIssue.Builder b = DiscoveryIssue.builder(DiscoveryIssue.Severity.WARNING, "hardedit: " + p);
        if (source != null) {
            b.source(source);
        }
        issues.report(b.build());
        suite.addChild(new ProblemDescriptor(UniqueIds.problem(suite.getUniqueId(), p.file(), p.line(), index), p, source));
    }

    private static TestSource problemSource(LoadedCaseFile f, CaseProblem p) {
        if (p.line() <= 0) {
            return f.fileSource();
        }
        FilePosition pos = p.column() > 0 ? FilePosition.from(p.line(), p.column()) : FilePosition.from(p.line());
        if (f.fileSource() instanceof FileSource fs) {
            return FileSource.from(fs.getFile(), pos);
        }
        if (f.fileSource() instanceof ClasspathResourceSource cs) {
            return ClasspathResourceSource.from(cs.getClasspathResourceName(), pos);
        }
        return f.fileSource();
    }

    private static List<EditCase> limited(List<EditCase> cases, int limit) {
        return limit > 0 && limit < cases.size() ? cases.subList(0, limit) : cases;
    }
}
