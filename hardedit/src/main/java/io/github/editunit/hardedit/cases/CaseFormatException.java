package io.github.editunit.hardedit.cases;

import java.util.Objects;

/** Thrown by a strict read on the first error; the message names file, line, column, record and field. */
public class CaseFormatException extends RuntimeException {

    private final transient CaseProblem problem;

    public CaseFormatException(CaseProblem problem) {
        super(Objects.requireNonNull(problem, "problem").toString());
        this.problem = problem;
    }

    public CaseFormatException(CaseProblem problem, Throwable cause) {
        super(Objects.requireNonNull(problem, "problem").toString(), cause);
        this.problem = problem;
    }

    /** The problem that stopped the read. */
    public CaseProblem problem() {
        return problem;
    }
}
