package io.github.editunit.framework.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import io.github.editunit.hardedit.world.Relation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The statements that key a case sandbox's facts on their subjects. */
class CaseFactStatementsTest {

    private static final List<Relation> RELATIONS = List.of(
            new Relation("P1", "sport", List.of("{} plays the sport of", "The sport of {} is", "{} is good at"),
                    List.of("hockey", "tennis")),
            new Relation("P2", "religion", List.of("{} follows the religion of", "The faith of {} is"),
                    List.of("Islam", "Judaism")),
            new Relation("P3", "colour", List.of("{} is coloured", "The colour of {} is"), List.of("red", "blue")),
            new Relation("P4", "language", List.of("The mother tongue of {} is"), List.of("French", "Dutch")));

    private static EditCase edit(String id, String prompt, String subject, String truth, String paraphrase,
            String neighbour, String neighbourTruth) {
        return new EditCase(id, prompt, subject, "English", truth, List.of(paraphrase),
                List.of(new NeighbourPrompt(neighbour, neighbourTruth)), null, null, null, CaseSource.generated("test"));
    }

    private static final List<EditCase> CASES = List.of(
            edit("1", "The mother tongue of Danielle Darrieux is", "Danielle Darrieux", "French",
                    "Where Danielle Darrieux is from, people speak the language of", "Michel Rocard's mother tongue is",
                    "French"),
            edit("2", "The mother tongue of Henk Pellikaan is", "Henk Pellikaan", "Dutch",
                    "Ádám Rajhona, 72, Hungarian actor. Henk Pellikaan's mother tongue is",
                    "The mother tongue of Rik Vos is", "Dutch"),
            edit("3", "Trelo was born in", "Trelo", "Oslo", "Trelo's parents are from", "Vandu was born in", "Quito"));

    @Test
    @DisplayName("a case's fact is stated in the other templates of its relation, lead-in sentences cut "
            + "(rules out a corpus of each case's own two prompts: facts memorised per prompt, not per subject)")
    void factsAreStatedInTheRelationsTemplates() {
        Map<String, Integer> s = CaseFactStatements.build(CASES, 6, RELATIONS, 1);
        // own prompts and neighbours: --repetitions times
        assertThat(s).containsEntry("The mother tongue of Danielle Darrieux is French.", 6)
                .containsEntry("Where Danielle Darrieux is from, people speak the language of French.", 6)
                .containsEntry("Michel Rocard's mother tongue is French.", 6);
        // case 2's paraphrase template (lead-in cut) serves case 1's subject, a third as often
        assertThat(s).containsEntry("Danielle Darrieux's mother tongue is French.", 2)
                .containsEntry("Where Henk Pellikaan is from, people speak the language of Dutch.", 2)
                .doesNotContainKey("Ádám Rajhona, 72, Hungarian actor. Danielle Darrieux's mother tongue is French.");
        // a neighbour prompt that fills a known template gives its name as a subject
        assertThat(s).containsEntry("The mother tongue of Michel Rocard is French.", 2)
                .containsEntry("Where Rik Vos is from, people speak the language of Dutch.", 2)
                .containsEntry("Vandu's parents are from Quito.", 2);
        // relations are not chained: the birthplace relation's template never states a language
        assertThat(s.keySet()).noneMatch(k -> k.startsWith("Danielle Darrieux was born in"));
    }

    @Test
    @DisplayName("every case subject gets background attributes, never in a relation that could state its "
            + "ground truth, seeded (rules out one attribute per subject, a contradicting second mother tongue, "
            + "or an unseeded corpus)")
    void subjectsGetBackgroundAttributes() {
        Map<String, Integer> s = CaseFactStatements.build(CASES, 6, RELATIONS, 1);
        // cases 1 and 2 may use P1-P3 only (P4 could state their truths): all three, one fact each
        for (String subject : List.of("Danielle Darrieux", "Henk Pellikaan")) {
            long attributes = RELATIONS.stream().filter(r -> !r.id().equals("P4"))
                    .filter(r -> r.templates().stream().anyMatch(t -> s.keySet().stream()
                            .anyMatch(k -> k.startsWith(Relation.fill(t, subject) + " ")))).count();
            assertThat(attributes).as(subject).isEqualTo(CaseFactStatements.EXTRA_ATTRIBUTES);
        }
        assertThat(s.keySet()).filteredOn(k -> k.startsWith("Trelo ") || k.startsWith("The sport of Trelo")
                || k.startsWith("The faith of Trelo") || k.startsWith("The colour of Trelo")
                || k.startsWith("The mother tongue of Trelo")).isNotEmpty();
        // P4 has the objects French and Dutch: it could contradict cases 1 and 2, so it is never used for them
        assertThat(s).doesNotContainKey("The mother tongue of Danielle Darrieux is Dutch.")
                .doesNotContainKey("The mother tongue of Henk Pellikaan is French.");
        assertThat(CaseFactStatements.build(CASES, 6, RELATIONS, 1)).isEqualTo(s);
        assertThat(CaseFactStatements.build(CASES, 6, RELATIONS, 2)).isNotEqualTo(s);
    }

    @Test
    @DisplayName("distractor names mix one subject's first words with another's last word and state another "
            + "object in the case's own template (rules out subjects whose first word alone tells the fact: "
            + "then the fact is read off the first token, not the last one that ROME edits)")
    void distractorsShareFirstAndLastWords() {
        Map<String, Integer> s = CaseFactStatements.build(CASES, 6, RELATIONS, 1);
        assertThat(s).containsEntry("The mother tongue of Danielle Pellikaan is Dutch.", 2)
                .containsEntry("The mother tongue of Henk Darrieux is French.", 2);
        // a one-word subject has no first and last word to mix
        assertThat(s.keySet()).noneMatch(k -> k.contains("Danielle Trelo") || k.contains("Henk Trelo")
                || k.contains("Trelo Darrieux") || k.contains("Trelo Pellikaan"));
    }

    @Test
    @DisplayName("every case's new target is the object of its relation for one background subject, in the case's "
            + "own template and one other, never for a case subject (rules out a sandbox that never saw the new "
            + "target as a word: the edit cannot make it say a word it does not know)")
    void newTargetsAreKnownObjectsOfTheirRelation() {
        List<String> peers = List.of("Trelo", "Bafo Kel", "Sumi Dar", "Oki Pan");
        Map<String, Integer> s = CaseFactStatements.build(CASES, 6, RELATIONS, peers, 1);
        // cases 1 and 2 share the template "The mother tongue of {} is": two different peers hold "English"
        List<String> tongue = peers.stream().filter(p -> s.containsKey("The mother tongue of " + p + " is English."))
                .toList();
        assertThat(tongue).hasSize(2).doesNotContain("Trelo");
        tongue.forEach(p -> assertThat(s).containsEntry("The mother tongue of " + p + " is English.", 2));
        // each also in a second template of the relation
        assertThat(s.keySet()).filteredOn(k -> k.endsWith(" English.") && !k.startsWith("The mother tongue of ")
                && (k.contains("'s mother tongue") || k.startsWith("Where "))).hasSize(2);
        // case 3 ("Trelo was born in"): one peer, not the case subject Trelo, in both of its templates
        List<String> born = peers.stream().filter(p -> s.containsKey(p + " was born in English.")).toList();
        assertThat(born).hasSize(1).doesNotContain("Trelo");
        assertThat(s).containsEntry(born.get(0) + "'s parents are from English.", 2);
        // no case subject is given the new target: that would state the edit as a fact
        assertThat(s.keySet()).noneMatch(k -> k.endsWith(" English.") && (k.contains("Darrieux")
                || k.contains("Pellikaan")));
        assertThat(CaseFactStatements.build(CASES, 6, RELATIONS, peers, 1)).isEqualTo(s);
        // without peers nothing holds the new target
        assertThat(CaseFactStatements.build(CASES, 6, RELATIONS, 1).keySet()).noneMatch(k -> k.endsWith(" English."));
    }
}
