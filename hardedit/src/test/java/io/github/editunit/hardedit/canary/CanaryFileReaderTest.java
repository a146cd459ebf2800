package io.github.editunit.hardedit.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanaryFileReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    @DisplayName("simple list, CounterFact-flat (ground_truth, not target_new) and original CounterFact (target_true) "
            + "all give the unedited fact (rules out: reading target_new as the canary's answer)")
    void readsTheThreeShapes() throws IOException {
        CanarySet simple = new CanaryFileReader().read(write("simple.json",
                "[{\"prompt\": \"The mother tongue of Anna is\", \"target\": \" French\"}]"));
        assertThat(simple.facts()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("French");
            assertThat(f.source()).endsWith("simple.json:1");
        });
        CanarySet flat = new CanaryFileReader().read(write("flat.json", "[\n {\"case_id\": 1, \"prompt\": \"Baipa works for\","
                + " \"target_new\": \"Google\", \"subject\": \"Baipa\", \"ground_truth\": \"Intel\"}\n]"));
        assertThat(flat.facts()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("Intel");
            assertThat(f.source()).endsWith("flat.json:2");
        });
        CanarySet original = new CanaryFileReader().read(write("cf.json", "{\"cases\": [{\"requested_rewrite\": {\"prompt\": "
                + "\"The mother tongue of {} is\", \"subject\": \"Danielle Darrieux\", \"target_new\": {\"str\": \"English\"}, "
                + "\"target_true\": {\"str\": \"French\"}}}]}"));
        assertThat(original.facts()).singleElement().satisfies(f -> {
            assertThat(f.prompt()).isEqualTo("The mother tongue of Danielle Darrieux is");
            assertThat(f.target()).isEqualTo("French");
        });
    }

    @Test
    @DisplayName("errors name the file, the line and the field; an empty list is an error")
    void errorsNameFileLineAndField() throws IOException {
        Path missing = write("bad.json", "[\n {\"prompt\": \"a\", \"target\": \"b\"},\n {\"prompt\": \"c\"}\n]");
        assertThatThrownBy(() -> new CanaryFileReader().read(missing))
                .isInstanceOf(CanaryFormatException.class)
                .hasMessageContaining("bad.json:3").hasMessageContaining("record 2").hasMessageContaining("'target'");
        Path wrongType = write("type.json", "[{\"prompt\": 3, \"target\": \"b\"}]");
        assertThatThrownBy(() -> new CanaryFileReader().read(wrongType)).hasMessageContaining("'prompt' must be a string");
        assertThatThrownBy(() -> new CanaryFileReader().read(write("empty.json", "[]"))).hasMessageContaining("no canary facts");
        assertThatThrownBy(() -> new CanaryFileReader().read(write("broken.json", "[{\"prompt\": \"a\",\n"))).hasMessageContaining("broken.json:");
        assertThatThrownBy(() -> new CanaryFileReader().read(write("noarray.json", "{\"x\": 1}"))).hasMessageContaining("no array");
    }

    @Test
    @DisplayName("duplicate prompts are measured once (rules out: a canary counted twice in the recall)")
    void duplicatesOnce() throws IOException {
        CanarySet set = new CanaryFileReader().read(write("dup.json",
                "[{\"prompt\": \"a is\", \"target\": \"b\"}, {\"prompt\": \"a is\", \"target\": \"b\"}, {\"prompt\": \"c is\", \"target\": \"d\"}]"));
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("neighbourhood canaries leave out neighbours that mention an edited subject (rules out: flagging "
            + "an edit for changing a fact about its own subject)")
    void neighbourhoodsWithoutEditedSubjects() {
        EditCase a = new EditCase("1", "Baipa works for", "Baipa", "Google", "Intel", List.of(),
                List.of(new NeighbourPrompt("Shepu works for", "Intel"), new NeighbourPrompt("Grailvol, like Baipa, works for", "Apple")),
                null, Set.of(), null, new CaseSource("cases.json", 1, 1));
        EditCase b = new EditCase("2", "Grailvol works for", "Grailvol", "Philips", "Apple", List.of(),
                List.of(new NeighbourPrompt("Shepu works for", "Intel"), new NeighbourPrompt("The employer of Nufond is", "Apple")),
                null, Set.of(), null, new CaseSource("cases.json", 2, 1));
        CanarySet set = CanarySources.fromNeighbourhoods(List.of(a, b), "cases.json");
        assertThat(set.facts()).extracting(CanaryFact::prompt).containsExactly("Shepu works for", "The employer of Nufond is");
    }
}
