package io.github.editunit.framework.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.editing.SubjectLocator;
import io.github.editunit.framework.metrics.CaseFactRecall;
import io.github.editunit.framework.metrics.FactRecallResult;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.llama.LlamaSettings;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped models really know their facts: the targets of the bundled-model issues (recall
 * floors, first-token cases, size), on the real files of both bundled models.
 */
class BundledModelTest {

    private static Path dir(String name) {
        return BundledModels.resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void knowsTheFactsOfItsSingleEditSuite(String name) throws IOException {
        try (LanguageModel model = ModelFiles.load(dir(name))) {
            List<EditCase> cases = CaseFileReader.readStrict(dir(name).resolve("suites/single-edit.extended.json"));
            assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
            Map<String, FactRecallResult> r = new CaseFactRecall(model, 64).evaluate(cases);
            assertThat(r.get("edit").top1()).as("edit-prompt top-1").isGreaterThanOrEqualTo(0.98);
            assertThat(r.get("edit").exact()).as("edit-prompt exact whole object").isGreaterThanOrEqualTo(0.95);
            assertThat(r.get("neighbour").top1()).as("neighbour top-1").isGreaterThanOrEqualTo(0.97);
            assertThat(r.get("paraphrase").top1()).as("paraphrase top-1 (held-out templates)")
                    .isGreaterThanOrEqualTo(0.9);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void suitesHoldFirstTokenCasesWhoseSubjectIsReallyOneToken(String name) throws IOException {
        try (LanguageModel model = ModelFiles.load(dir(name))) {
            List<EditCase> cases = CaseFileReader.readStrict(dir(name).resolve("suites/single-edit.json"));
            SubjectLocator locator = new SubjectLocator(model.tokenizer());
            // the first text token: index 0 for the GPT-2, 1 behind the Llama's BOS
            long firstToken = cases.stream()
                    .filter(c -> locator.locate(c.template(), c.subject(), new int[0]).subjectEndsOnFirstTextToken())
                    .count();
            assertThat(firstToken).isGreaterThanOrEqualTo(20);
            List<EditCase> sequential = CaseFileReader.readStrict(dir(name).resolve("suites/sequential-100.json"));
            assertThat(sequential).hasSize(100);
            assertThat(sequential.stream().map(EditCase::subject).distinct().count()).isEqualTo(100);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BundledModels.TINY, BundledModels.TINY_LLAMA})
    void shipsEveryFileAndStaysSmall(String name) throws IOException {
        for (String f : BundledModels.FILES) {
            assertThat(dir(name).resolve(f)).as(f).isRegularFile();
        }
        long weights = Files.size(dir(name).resolve("model.safetensors"));
        // the Llama issue's budget is 10 MB; the GPT-2's 25 MB
        assertThat(weights).isLessThan((name.equals(BundledModels.TINY_LLAMA) ? 10L : 25L) * 1024 * 1024);
        try (LanguageModel model = ModelFiles.load(dir(name))) {
            assertThat(Files.readString(dir(name).resolve("MODEL_CARD.md"))).contains(model.parameters().contentHash());
        }
    }

    @org.junit.jupiter.api.Test
    void theLlamaIsALlamaWithGroupedQueryAttentionAndABos() throws IOException {
        try (LanguageModel model = ModelFiles.load(dir(BundledModels.TINY_LLAMA))) {
            // rules out shipping a GPT-2 (or a Llama without GQA / BOS) under the Llama's name
            assertThat(model.architecture().name()).isEqualTo("llama");
            LlamaSettings s = (LlamaSettings) model.config().family();
            assertThat(s.kvHeads()).isLessThan(model.config().heads());
            assertThat(s.tieWordEmbeddings()).isFalse();
            assertThat(model.tokenizer().addsBos()).isTrue();
            assertThat(model.tokenizer().sequencePrefix()).containsExactly(s.bosTokenId());
        }
    }
}
