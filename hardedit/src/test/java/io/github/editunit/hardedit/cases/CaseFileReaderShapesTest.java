package io.github.editunit.hardedit.cases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CaseFileReaderShapesTest {

    @TempDir
    Path dir;

    private static final String TWO_FLAT = "[\n"
            + CaseFiles.flat(0, "The mother tongue of Danielle Darrieux is", "Danielle Darrieux", "English", "French")
            + ",\n"
            + CaseFiles.flat(5, "Thomas Joannes Stieltjes spoke the language", "Thomas Joannes Stieltjes", "English", "Dutch")
            + "\n]\n";

    @Test
    void readsEasyEditFlatArrayWithPositions() {
        Path file = CaseFiles.write(dir, "cases.json", TWO_FLAT);
        CaseReadResult result = CaseFileReader.strict().read(file);

        assertThat(result.problems()).isEmpty();
        assertThat(result.cases()).hasSize(2);
        EditCase first = result.cases().get(0);
        assertThat(first.caseId()).isEqualTo("0");
        assertThat(first.prompt()).isEqualTo("The mother tongue of Danielle Darrieux is");
        assertThat(first.subject()).isEqualTo("Danielle Darrieux");
        assertThat(first.targetNew()).isEqualTo("English");
        assertThat(first.groundTruth()).isEqualTo("French");
        assertThat(first.paraphrasePrompts()).containsExactly("Where Danielle Darrieux is from, people speak the language of");
        assertThat(first.neighbours()).containsExactly(new NeighbourPrompt("Michel Rocard is a native speaker of", "French"));
        assertThat(first.relation()).isNull();
        assertThat(first.tags()).isEmpty();
        assertThat(first.expectation()).isNull();
        assertThat(first.template()).isEqualTo("The mother tongue of {} is");
        assertThat(first.source()).isEqualTo(new CaseSource(file.toString(), 2, 5));
        assertThat(result.cases().get(1).source().line()).isEqualTo(12);
        assertThat(result.cases().get(1).promptStartsWithSubject()).isTrue();
    }

    @Test
    void readsExtendedFlatFormat() {
        String json = """
                [
                  {
                    "case_id": "w-1",
                    "prompt": "Velmora plays the",
                    "subject": "Velmora",
                    "target_new": "violin",
                    "ground_truth": "piano",
                    "rephrase_prompt": "The instrument of Velmora is the",
                    "rephrase_prompts": ["The instrument of Velmora is the", "Velmora performs on the"],
                    "locality": [
                      {"prompt": "Tarin Oskolde plays the", "ground_truth": "piano"},
                      {"prompt": "The instrument of Brask is the", "ground_truth": "harp"}
                    ],
                    "relation": "P1303",
                    "tags": ["P1303", "first-token"],
                    "expect": "collapse"
                  }
                ]
                """;
        EditCase c = CaseFileReader.strict().read(CaseFiles.write(dir, "ext.json", json)).cases().get(0);

        assertThat(c.caseId()).isEqualTo("w-1");
        assertThat(c.paraphrasePrompts()).containsExactly("The instrument of Velmora is the", "Velmora performs on the");
        assertThat(c.neighbours()).containsExactly(new NeighbourPrompt("Tarin Oskolde plays the", "piano"),
                new NeighbourPrompt("The instrument of Brask is the", "harp"));
        assertThat(c.relation()).isEqualTo("P1303");
        assertThat(c.tags()).containsExactly("P1303", "first-token");
        assertThat(c.hasTag(EditCase.FIRST_TOKEN_TAG)).isTrue();
        assertThat(c.expectation()).isEqualTo(Expectation.COLLAPSE);
        assertThat(c.template()).isEqualTo("{} plays the");
    }

    @Test
    void readsOriginalCounterFactFormat() {
        String json = """
                [
                  {
                    "case_id": 0,
                    "pararel_idx": 2796,
                    "requested_rewrite": {
                      "prompt": "The mother tongue of {} is",
                      "relation_id": "P103",
                      "target_new": {"str": "English", "id": "Q1860"},
                      "target_true": {"str": "French", "id": "Q150"},
                      "subject": "Danielle Darrieux"
                    },
                    "paraphrase_prompts": [
                      "Shayna does this and Yossel goes still and dies. Danielle Darrieux, a native",
                      "An album was recorded for Capitol Nashville but never released. Danielle Darrieux spoke the language"
                    ],
                    "neighborhood_prompts": ["The mother tongue of Léon Blum is", "Michel Rocard is a native speaker of"],
                    "attribute_prompts": ["J. R. R. Tolkien is a native speaker of"],
                    "generation_prompts": ["Danielle Darrieux's mother tongue is"]
                  }
                ]
                """;
        CaseReadResult result = CaseFileReader.strict().read(CaseFiles.write(dir, "counterfact.json", json));
        EditCase c = result.cases().get(0);

        assertThat(result.problems()).isEmpty();
        assertThat(c.prompt()).isEqualTo("The mother tongue of Danielle Darrieux is");
        assertThat(c.template()).isEqualTo("The mother tongue of {} is");
        assertThat(c.targetNew()).isEqualTo("English");
        assertThat(c.groundTruth()).isEqualTo("French");
        assertThat(c.relation()).isEqualTo("P103");
        assertThat(c.paraphrasePrompts()).hasSize(2);
        assertThat(c.neighbours()).extracting(NeighbourPrompt::groundTruth).containsOnly("French");
        assertThat(c.neighbours()).extracting(NeighbourPrompt::prompt)
                .containsExactly("The mother tongue of Léon Blum is", "Michel Rocard is a native speaker of");
        assertThat(c.source().line()).isEqualTo(2);
    }

    @Test
    void readsArrayWrappedInCasesField() {
        String json = "{\"meta\": {\"n\": 2}, \"tags\": [\"x\"], \"cases\": " + TWO_FLAT + "}";
        CaseReadResult result = CaseFileReader.strict().read(CaseFiles.write(dir, "wrapped.json", json));
        assertThat(result.cases()).extracting(EditCase::caseId).containsExactly("0", "5");
    }

    @Test
    void readsArrayWrappedInAnySingleArrayField() {
        String json = "{\"version\": 1, \"data\": " + TWO_FLAT + ", \"note\": \"x\"}";
        CaseReadResult result = CaseFileReader.strict().read(CaseFiles.write(dir, "data.json", json));
        assertThat(result.cases()).hasSize(2);
        assertThat(result.cases().get(0).source().line()).isEqualTo(2);
    }

    @Test
    void missingCaseIdDefaultsToArrayPosition() {
        String json = """
                [{"prompt": "Velmora plays the", "subject": "Velmora", "target_new": "violin"},
                 {"prompt": "Brask plays the", "subject": "Brask", "target_new": "harp"}]
                """;
        List<EditCase> cases = CaseFileReader.strict().read(CaseFiles.write(dir, "noid.json", json)).cases();
        assertThat(cases).extracting(EditCase::caseId).containsExactly("0", "1");
        assertThat(cases.get(0).groundTruth()).isNull();
        assertThat(cases.get(1).source()).isEqualTo(new CaseSource(dir.resolve("noid.json").toString(), 2, 2));
    }

    @Test
    void readsStreamsWithByteOrderMarkAndUnicode() {
        String json = "\uFEFF[{\"prompt\": \"Léon Blum's mother tongue is\", \"subject\": \"Léon Blum\", "
                + "\"target_new\": \"Ελληνικά\", \"ground_truth\": \"French\", \"tags\": [\"P103\"]}]";
        CaseReadResult result = CaseFileReader.strict()
                .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "stream.json");
        assertThat(result.cases()).singleElement().satisfies(c -> {
            assertThat(c.targetNew()).isEqualTo("Ελληνικά");
            assertThat(c.tags()).isEqualTo(Set.of("P103"));
            assertThat(c.source().file()).isEqualTo("stream.json");
            assertThat(c.template()).isEqualTo("{}'s mother tongue is");
        });
    }

    @Test
    void acceptsListValuedLocalityAndRephraseOfEasyEditVariants() {
        String json = """
                [{"prompt": "Velmora plays the", "subject": "Velmora", "target_new": "violin",
                  "rephrase_prompt": ["Velmora performs on the", "The instrument of Velmora is the"],
                  "locality_prompt": ["Brask plays the", "Tarin Oskolde plays the"],
                  "locality_ground_truth": ["harp", "piano"]}]
                """;
        EditCase c = CaseFileReader.strict().read(CaseFiles.write(dir, "lists.json", json)).cases().get(0);
        assertThat(c.paraphrasePrompts()).hasSize(2);
        assertThat(c.neighbours()).extracting(NeighbourPrompt::groundTruth).containsExactly("harp", "piano");
    }
}
