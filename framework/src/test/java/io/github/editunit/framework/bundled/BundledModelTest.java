package io.github.editunit.framework.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.editing.SubjectLocator;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped model really knows its facts: the targets of the bundled-model issue, on the real files. */
class BundledModelTest {

    static Path dir;
    static LanguageModel model;

    @BeforeAll
    static void load() throws IOException {
        dir = BundledModels.tiny();
        model = ModelFiles.load(dir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void knowsTheFactsOfItsSingleEditSuite() throws IOException {
        List<EditCase> cases = CaseFileReader.readStrict(dir.resolve("suites/single-edit.extended.json"));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        Map<String, FactRecallResult> r = new CaseFactRecall(model, 64).evaluate(cases);
        assertThat(r.get("edit").top1()).as("edit-prompt top-1").isGreaterThanOrEqualTo(0.98);
        assertThat(r.get("edit").exact()).as("edit-prompt exact whole object").isGreaterThanOrEqualTo(0.95);
        assertThat(r.get("neighbour").top1()).as("neighbour top-1").isGreaterThanOrEqualTo(0.97);
        assertThat(r.get("paraphrase").top1()).as("paraphrase top-1 (held-out templates)").isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void suitesHoldFirstTokenCasesWhoseSubjectIsReallyOneToken() throws IOException {
        List<EditCase> cases = CaseFileReader.readStrict(dir.resolve("suites/single-edit.json"));
        SubjectLocator locator = new SubjectLocator(model.tokenizer());
        long firstToken = cases.stream().filter(c -> locator.subjectLastIndex(c.template(), c.subject()) == 0).count();
        assertThat(firstToken).isGreaterThanOrEqualTo(20);
        List<EditCase> sequential = CaseFileReader.readStrict(dir.resolve("suites/sequential-100.json"));
        assertThat(sequential).hasSize(100);
        assertThat(sequential.stream().map(EditCase::subject).distinct().count()).isEqualTo(100);
    }

    @Test
    void shipsEveryFileAndStaysSmall() throws IOException {
        for (String f : BundledModels.FILES) {
            assertThat(dir.resolve(f)).as(f).isRegularFile();
        }
        long weights = Files.size(dir.resolve("model.safetensors"));
        assertThat(weights).isLessThan(25L * 1024 * 1024);
        assertThat(Files.readString(dir.resolve("MODEL_CARD.md"))).contains(model.parameters().contentHash());
    }
}
