package io.github.editunit.hardedit.cases;

import java.util.List;

/**
 * The outcome of reading a case file: the good cases (in file order) and every problem found.
 *
 * @param cases    records without errors
 * @param problems errors (their records were dropped) and warnings (their records were kept)
 */
public record CaseReadResult(List<EditCase> cases, List<CaseProblem> problems) {

    public CaseReadResult {
        cases = List.copyOf(cases);
        problems = List.copyOf(problems);
    }

    /** Only the problems of severity ERROR. */
    public List<CaseProblem> errors() {
        return problems.stream().filter(CaseProblem::isError).toList();
    }

    /** Only the warnings. */
    public List<CaseProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** True when no error was found (warnings allowed). */
    public boolean isClean() {
        return errors().isEmpty();
    }
}
