package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reads the real CounterFact samples from {@code ../../shared/data/counterfact} (module dir) when present. */
class CounterFactSamplesTest {

    static final Path SAMPLES = Path.of("..", "..", "shared", "data", "counterfact");

    @ParameterizedTest
    @ValueSource(strings = {"counterfact-edit.first200.json", "counterfact-val.first200.json"})
    void readsRealSampleWithoutProblems(String name) throws Exception {
        Path file = SAMPLES.resolve(name);
        assumeTrue(Files.isRegularFile(file), "shared CounterFact samples not present at " + file.toAbsolutePath());

        CaseReadResult result = CaseFileReader.strict().read(file);

        assertThat(result.problems()).isEmpty();
        assertThat(result.cases()).hasSize(200);
        assertThat(result.cases()).allSatisfy(c -> {
            assertThat(c.paraphrasePrompts()).hasSize(1);
            assertThat(c.neighbours()).singleElement()
                    .satisfies(n -> assertThat(n.groundTruth()).isEqualTo(c.groundTruth()));
            assertThat(c.template()).contains("{}");
            assertThat(c.source().column()).isEqualTo(5);
        });
        assertThat(result.cases().get(0).source().line()).isEqualTo(2);
        assertThat(result.cases().get(1).source().line()).isEqualTo(12);

        JsonNode raw = new ObjectMapper().readTree(file.toFile());
        for (JsonNode record : raw) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            assertThat(keys).hasSize(8);
        }
        String rewritten = CaseFileWriter.toJson(result.cases(), CaseFileWriter.Format.EASYEDIT_FLAT);
        assertThat(rewritten).isEqualTo(Files.readString(file).strip() + "\n");
    }
}
