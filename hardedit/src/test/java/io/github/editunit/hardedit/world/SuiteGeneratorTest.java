package io.github.editunit.hardedit.world;

import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.CaseReadResult;
import io.github.editunit.hardedit.cases.CaseValidator;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SuiteGeneratorTest {

    @TempDir
    static Path dir;

    private final FactWorld world = DefaultWorld.get();
    private final SuiteGenerator suites = new SuiteGenerator(world);

    @Test
    void singleEditSuiteHasDistinctSubjectsAndAFifthFirstTokenCases() {
        List<EditCase> cases = suites.singleEditSuite();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        assertDistinctSubjectsAndFacts(cases);
        long firstToken = cases.stream().filter(c -> c.hasTag(EditCase.FIRST_TOKEN_TAG)).count();
        assertThat((double) firstToken / cases.size()).isBetween(0.15, 0.25);
        assertThat(cases).allSatisfy(this::assertWellFormed);
        assertThat(cases.stream().map(EditCase::relation).distinct().count()).isGreaterThanOrEqualTo(15);
        assertThat(new CaseValidator().validateAll(cases)).isEmpty();
    }

    @Test
    void sequentialSuiteHas100DistinctSubjectsAndNeighboursOutsideTheSuite() {
        List<EditCase> cases = suites.sequentialSuite();
        assertThat(cases).hasSize(100);
        assertDistinctSubjectsAndFacts(cases);
        Set<String> edited = cases.stream().map(EditCase::subject).collect(Collectors.toSet());
        for (EditCase c : cases) {
            assertWellFormed(c);
            for (NeighbourPrompt n : c.neighbours()) {
                assertThat(edited).noneMatch(s -> n.prompt().contains(s));
            }
        }
        assertThat(cases).anyMatch(c -> c.hasTag(EditCase.FIRST_TOKEN_TAG));
    }

    @Test
    void firstTokenTagFollowsTheSubjectTokenCounter() {
        SuiteGenerator nothingIsOneToken = new SuiteGenerator(world, s -> 3);
        assertThat(nothingIsOneToken.singleEditSuite()).noneMatch(c -> c.hasTag(EditCase.FIRST_TOKEN_TAG));

        SuiteGenerator wordCount = new SuiteGenerator(world, s -> s.split(" ").length);
        List<EditCase> cases = wordCount.singleEditSuite();
        assertThat(cases).filteredOn(c -> c.hasTag(EditCase.FIRST_TOKEN_TAG))
                .isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.promptStartsWithSubject()).isTrue();
                    assertThat(c.subject()).doesNotContain(" ");
                });
    }

    @Test
    void suitesAreDeterministic() {
        assertThat(new SuiteGenerator(FactWorld.generate(DefaultWorld.SPEC)).singleEditSuite())
                .isEqualTo(suites.singleEditSuite());
    }

    @Test
    void writtenSuiteFilesReadBackWithZeroProblems() {
        WorldFiles files = WorldFiles.write(world, dir.resolve("world"));
        for (Path p : List.of(files.singleEdit(), files.singleEditExtended(), files.sequential(),
                files.sequentialExtended())) {
            CaseReadResult r = CaseFileReader.strict().read(p);
            assertThat(r.problems()).as(p.toString()).isEmpty();
            assertThat(r.cases()).hasSize(p.getFileName().toString().startsWith("single") ? 200 : 100);
        }
        assertThat(CaseFileReader.readStrict(files.singleEditExtended()))
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(suites.singleEditSuite());
        List<EditCase> flat = CaseFileReader.readStrict(files.singleEdit());
        assertThat(flat).allSatisfy(c -> {
            assertThat(c.paraphrasePrompts()).hasSize(1);
            assertThat(c.neighbours()).hasSize(1);
        });
    }

    private void assertWellFormed(EditCase c) {
        Fact f = world.facts().get(Integer.parseInt(c.caseId()));
        assertThat(c.subject()).isEqualTo(f.subject());
        assertThat(c.prompt()).isEqualTo(f.editPrompt());
        assertThat(c.groundTruth()).isEqualTo(f.object());
        assertThat(c.targetNew()).isNotEqualTo(c.groundTruth()).isIn(world.relation(f.relation()).objects());
        assertThat(c.paraphrasePrompts().get(0)).isEqualTo(f.heldOutPrompt());
        assertThat(c.paraphrasePrompts()).doesNotContain(c.prompt()).doesNotHaveDuplicates();
        assertThat(c.neighbours()).hasSizeBetween(3, 5).allSatisfy(n -> assertThat(n.prompt()).doesNotContain(c.subject()));
        assertThat(c.tags()).contains(f.relation());
        assertThat(c.relation()).isEqualTo(f.relation());
        assertThat(c.template()).contains("{}");
    }

    private static void assertDistinctSubjectsAndFacts(List<EditCase> cases) {
        assertThat(new HashSet<>(cases.stream().map(EditCase::subject).toList())).hasSameSizeAs(cases);
        assertThat(new HashSet<>(cases.stream().map(EditCase::caseId).toList())).hasSameSizeAs(cases);
    }
}
