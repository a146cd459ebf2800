package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaseFileWriterTest {

    @TempDir
    Path dir;

    private static EditCase rich(String id) {
        return new EditCase(id, "Velmora's mother tongue is", "Velmora", "Polish", "French",
                List.of("The mother tongue of Velmora is", "Velmora spoke the language"),
                List.of(new NeighbourPrompt("Tarin Oskolde is a native speaker of", "French"),
                        new NeighbourPrompt("The native language of Brask is", "French")),
                "P103", new LinkedHashSet<>(List.of("P103", "first-token")), Expectation.COLLAPSE,
                CaseSource.generated("test"));
    }

    private static EditCase simple(String id, String groundTruth) {
        return new EditCase(id, "Léon Blum spoke the language", "Léon Blum", "Ελληνικά", groundTruth,
                List.of("Léon Blum is a native speaker of"), List.of(new NeighbourPrompt("Brask spoke the language", "French")),
                null, null, null, CaseSource.generated("test"));
    }

    @Test
    void flatFormatHasExactlyTheEightKeysInOrder() throws Exception {
        Path file = dir.resolve("flat.json");
        CaseFileWriter.writeFlat(List.of(rich("3"), rich("x-4")), file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        for (JsonNode record : root) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            assertThat(keys).containsExactly("case_id", "prompt", "target_new", "subject", "ground_truth",
                    "rephrase_prompt", "locality_prompt", "locality_ground_truth");
        }
        assertThat(root.get(0).get("case_id").isInt()).isTrue();
        assertThat(root.get(1).get("case_id").isTextual()).isTrue();
        assertThat(root.get(0).get("rephrase_prompt").asText()).isEqualTo("The mother tongue of Velmora is");
        assertThat(root.get(0).get("locality_ground_truth").asText()).isEqualTo("French");
    }

    @Test
    void flatFormatRoundTripsCasesThatFitIt() {
        Path file = dir.resolve("flat.json");
        List<EditCase> cases = List.of(simple("0", "French"), simple("17", null));
        CaseFileWriter.writeFlat(cases, file);
        CaseReadResult back = CaseFileReader.strict().read(file);
        assertThat(back.problems()).isEmpty();
        assertThat(back.cases()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(cases);
        assertThat(back.cases().get(1).source()).isEqualTo(new CaseSource(file.toString(), 12, 5));
    }

    @Test
    void flatFormatKeepsOnlyFirstParaphraseAndNeighbour() {
        Path file = dir.resolve("flat.json");
        CaseFileWriter.writeFlat(List.of(rich("3")), file);
        EditCase back = CaseFileReader.readStrict(file).get(0);
        assertThat(back.paraphrasePrompts()).containsExactly("The mother tongue of Velmora is");
        assertThat(back.neighbours()).hasSize(1);
        assertThat(back.tags()).isEmpty();
    }

    @Test
    void extendedFormatRoundTripsEverything() {
        Path file = dir.resolve("ext.json");
        List<EditCase> cases = List.of(rich("3"), rich("x-4"), simple("5", null));
        CaseFileWriter.writeExtended(cases, file);
        List<EditCase> back = CaseFileReader.readStrict(file);
        assertThat(back).usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(cases);
        assertThat(CaseFileWriter.toJson(back, CaseFileWriter.Format.EXTENDED))
                .isEqualTo(CaseFileWriter.toJson(cases, CaseFileWriter.Format.EXTENDED));
    }

    @Test
    void outputIsPrettyPrintedWithUnescapedUnicode() {
        String json = CaseFileWriter.toJson(List.of(simple("0", "French")), CaseFileWriter.Format.EASYEDIT_FLAT);
        assertThat(json).startsWith("[\n    {\n        \"case_id\": 0,\n        \"prompt\": \"Léon Blum spoke the language\",")
                .contains("\"target_new\": \"Ελληνικά\"")
                .endsWith("    }\n]\n");
    }
}
