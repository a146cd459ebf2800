package io.github.editunit.framework.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import io.github.editunit.hardedit.world.FactWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training text of {@code train --cases}: case facts mixed into a background world, held-out texts apart. */
class CaseCorpusTest {

    @TempDir
    Path tmp;

    private static final List<EditCase> CASES = List.of(
            new EditCase("1", "The mother tongue of Danielle Darrieux is", "Danielle Darrieux", "English", "French",
                    List.of("Where Danielle Darrieux is from, people speak the language of"),
                    List.of(new NeighbourPrompt("Michel Rocard is a native speaker of", "French")), null, null, null,
                    CaseSource.generated("test")),
            new EditCase("2", "Trelo was born in", "Trelo", "Lima", "Oslo", List.of("The birthplace of Trelo is"),
                    List.of(new NeighbourPrompt("Vandu was born in", "Quito")), null, null, null,
                    CaseSource.generated("test")));

    private static int occurrences(List<String> docs, String s) {
        int n = 0;
        for (String d : docs) {
            for (int at = d.indexOf(s); at >= 0; at = d.indexOf(s, at + 1)) {
                n++;
            }
        }
        return n;
    }

    private static String lastSentence(String text) {
        String t = text.strip();
        int at = t.lastIndexOf(". ", t.length() - 2);
        return at < 0 ? t : t.substring(at + 2);
    }

    @Test
    @DisplayName("every case statement occurs exactly --repetitions times, beside the background world's "
            + "documents (rules out facts dropped, a corpus of facts only, or no background)")
    void statementsAreRepeatedAndMixedIntoTheBackground() {
        FactWorld world = CaseCorpus.backgroundWorld(12);
        CaseCorpus c = CaseCorpus.of(CASES, 5, 3, world);
        for (String s : List.of("The mother tongue of Danielle Darrieux is French.",
                "Where Danielle Darrieux is from, people speak the language of French.",
                "Michel Rocard is a native speaker of French.", "Trelo was born in Oslo.",
                "The birthplace of Trelo is Oslo.", "Vandu was born in Quito.")) {
            assertThat(occurrences(c.documents(), s)).as(s).isEqualTo(5);
        }
        assertThat(c.documents()).containsAll(world.trainingDocuments());
        assertThat(c.documents()).hasSize(world.trainingDocuments().size() + c.caseDocuments());
        assertThat(c.caseDocuments()).isBetween(30 / 4, 30);
        // shuffled together: case documents are not all at the end
        assertThat(c.documents().subList(0, c.documents().size() / 2))
                .anyMatch(d -> d.contains("Oslo.") || d.contains("French."));
        assertThat(c.backgroundSubjects()).isEqualTo(12);
        // every word of a subject is boosted, so the subject's last token is a whole word (rules out boosting
        // one-word subjects only, which left "Darrieux" in fragments shared with other words)
        assertThat(c.singleTokenWords()).contains("Trelo", " Trelo", " French", " Oslo", " Quito", "Danielle",
                " Danielle", " Darrieux").doesNotContain("Danielle Darrieux", "Darrieux");
        assertThat(CaseCorpus.of(CASES, 5, 3, world).documents()).as("seeded").isEqualTo(c.documents());
        assertThat(CaseCorpus.of(CASES, 5, 4, world).documents()).isNotEqualTo(c.documents());
    }

    @Test
    @DisplayName("no held-out text, and no held-out background sentence, occurs in any training document "
            + "(rules out perplexity measured on training text)")
    void heldOutTextsAreNotTrainedOn() {
        CaseCorpus c = CaseCorpus.of(CASES, 12, 42, CaseCorpus.backgroundWorld(12));
        assertThat(c.heldOutTexts()).hasSize(300);
        Set<String> trainedSentences = new HashSet<>();
        for (String d : c.documents()) {
            for (String s : d.split("(?<=\\.) ")) {
                trainedSentences.add(s);
            }
        }
        for (String h : c.heldOutTexts()) {
            assertThat(h).startsWith(" ");
            assertThat(trainedSentences).as("last sentence of held-out text %s", h).doesNotContain(lastSentence(h));
            assertThat(c.documents()).noneMatch(d -> d.contains(h.strip()));
        }
    }

    @Test
    @DisplayName("the background world grows with the cases within bounds (rules out a fixed 1000-subject "
            + "world for three cases, or an unbounded one)")
    void backgroundSizeFollowsTheCases() {
        assertThat(CaseCorpus.defaultBackgroundSubjects(3)).isEqualTo(CaseCorpus.MIN_BACKGROUND_SUBJECTS);
        assertThat(CaseCorpus.defaultBackgroundSubjects(200)).isEqualTo(200);
        assertThat(CaseCorpus.defaultBackgroundSubjects(50_000)).isEqualTo(CaseCorpus.MAX_BACKGROUND_SUBJECTS);
        assertThatThrownBy(() -> CaseCorpus.backgroundWorld(3)).hasMessageContaining("at least");
    }

    @Test
    @DisplayName("bad input is named: zero repetitions, a case file without any ground truth (rules out an "
            + "empty corpus trained silently)")
    void badInputIsNamed() throws IOException {
        assertThatThrownBy(() -> CaseCorpus.of(CASES, 0, 1, CaseCorpus.backgroundWorld(12)))
                .hasMessageContaining("repetitions 0");
        Path f = tmp.resolve("no-truths.json");
        Files.writeString(f, """
                [{"case_id": 1, "prompt": "Trelo was born in", "target_new": "Lima", "subject": "Trelo"}]
                """);
        assertThatThrownBy(() -> CaseCorpus.fromCaseFiles(List.of(f), 12, 1, null)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("ground_truth");
    }
}
