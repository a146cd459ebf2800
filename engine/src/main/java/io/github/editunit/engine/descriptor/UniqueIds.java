package io.github.editunit.engine.descriptor;

import java.util.Optional;
import org.junit.platform.engine.UniqueId;

/**
 * The unique-id grammar of the engine, in one place:
 * <pre>
 * [engine:hardedit]
 *   /[suite:com.acme.EditCasesTest]          marker class (or [files:selected] for directly selected files)
 *     /[method:rome]                          editing method ([method:verify] in verify mode)
 *       /[case:single-edit.json#12]           single and verify mode
 *         /[check:efficacy]
 *       /[sequence:sequential-100.json]       sequential mode
 *         /[step:single-edit.json#12]/[check:non-collapse]
 *       /[check:non-collapse]                 verify mode: the edited model as a whole
 *     /[problem:cases.json:14]                a record the reader rejected
 * </pre>
 */
public final class UniqueIds {

    public static final String SUITE = "suite";
    public static final String FILES = "files";
    public static final String METHOD = "method";
    public static final String CASE = "case";
    public static final String SEQUENCE = "sequence";
    public static final String STEP = "step";
    public static final String CHECK = "check";
    public static final String PROBLEM = "problem";

    private UniqueIds() {}

    public static UniqueId suite(UniqueId engine, Class<?> marker) {
        return engine.append(SUITE, marker.getName());
    }

    public static UniqueId files(UniqueId engine) {
        return engine.append(FILES, "selected");
    }

    public static UniqueId method(UniqueId suite, String method) {
        return suite.append(METHOD, method);
    }

    public static UniqueId editCase(UniqueId parent, String fileKey, String caseId) {
        return parent.append(CASE, fileKey + "#" + caseId);
    }

    public static UniqueId sequence(UniqueId method, String fileKey) {
        return method.append(SEQUENCE, fileKey);
    }

    public static UniqueId step(UniqueId sequence, String fileKey, String caseId) {
        return sequence.append(STEP, fileKey + "#" + caseId);
    }

    public static UniqueId check(UniqueId parent, CheckKind kind) {
        return parent.append(CHECK, kind.id());
    }

    public static UniqueId problem(UniqueId suite, String file, int line, int index) {
        return suite.append(PROBLEM, file + ":" + line + (index > 0 ? "#" + index : ""));
    }

    /** The marker class name of a unique id of this engine, if it has a suite segment. */
    public static Optional<String> suiteClassName(UniqueId id) {
        return id.getSegments().size() > 1 && id.getSegments().get(1).getType().equals(SUITE)
                ? Optional.of(id.getSegments().get(1).getValue()) : Optional.empty();
    }

    /** Whether one id is a prefix of the other (the node lies on the path to, or under, the selected node). */
    public static boolean related(UniqueId a, UniqueId b) {
        return a.hasPrefix(b) || b.hasPrefix(a);
    }
}
