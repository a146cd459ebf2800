package io.github.editunit.hardedit.cases;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaseValidatorTest {

    private final CaseValidator validator = new CaseValidator();

    private static EditCase c(String id, String prompt, String subject, String target, String truth,
                              List<NeighbourPrompt> neighbours) {
        return new EditCase(id, prompt, subject, target, truth, List.of(), neighbours, null, null, null,
                new CaseSource("suite.json", 4, 5));
    }

    @Test
    void cleanCaseHasNoProblems() {
        assertThat(validator.validate(c("1", "Velmora plays the", "Velmora", "harp", "piano", List.of()), 1)).isEmpty();
    }

    @Test
    void reportsEveryKindOfProblem() {
        assertThat(validator.validate(c("1", " ", "Velmora", "harp", null, List.of()), 1))
                .extracting(CaseProblem::toString)
                .containsExactly("suite.json:4:5: record #1 (case_id 1): field \"prompt\" is blank");
        assertThat(validator.validate(c("2", "Velmora plays the {x}", "Velmora", "harp", null, List.of()), 2))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("contains a brace"));
        assertThat(validator.validate(c("3", "Velmora met Velmora", "Velmora", "harp", null, List.of()), 3))
                .singleElement().satisfies(p -> {
                    assertThat(p.isError()).isFalse();
                    assertThat(p.message()).contains("occurs more than once");
                });
        assertThat(validator.validate(c("4", "Velmora plays the", "Velmora", "harp", null,
                List.of(new NeighbourPrompt("Velmora performs on the", "harp"), new NeighbourPrompt("Brask plays the", ""))), 4))
                .extracting(CaseProblem::toString).containsExactly(
                        "suite.json:4:5: warning: record #4 (case_id 4): field \"locality_prompt\": \"Velmora performs on the\""
                                + " mentions the edited subject \"Velmora\"",
                        "suite.json:4:5: record #4 (case_id 4): field \"locality_ground_truth\" is blank");
    }

    @Test
    void validateAllFindsDuplicateIds() {
        List<EditCase> cases = List.of(
                c("1", "Velmora plays the", "Velmora", "harp", null, List.of()),
                c("2", "Brask plays the", "Brask", "harp", null, List.of()),
                c("1", "Tarin plays the", "Tarin", "harp", null, List.of()));
        assertThat(validator.validateAll(cases)).extracting(CaseProblem::toString).containsExactly(
                "suite.json:4:5: record #3 (case_id 1): field \"case_id\": duplicate id 1, already used by record #1 (line 4)");
    }
}
