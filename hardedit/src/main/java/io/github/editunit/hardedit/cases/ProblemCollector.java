package io.github.editunit.hardedit.cases;

import java.util.ArrayList;
import java.util.List;

/** Collects problems; in strict mode the first error is thrown as a {@link CaseFormatException}. */
final class ProblemCollector {

    private final boolean strict;
    private final List<CaseProblem> problems = new ArrayList<>();

    ProblemCollector(boolean strict) {
        this.strict = strict;
    }

    void add(CaseProblem problem) {
        if (strict && problem.isError()) {
            throw new CaseFormatException(problem);
        }
        problems.add(problem);
    }

    List<CaseProblem> problems() {
        return problems;
    }
}
