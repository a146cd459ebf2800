package io.github.editunit.framework.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.models.BundledModels;
import org.junit.jupiter.api.Test;

/**
 * A model whose vocabulary has more rows than its tokenizer has tokens (GPT-J: 50,400 for 50,257; the random-weight
 * shapes of {@code bench-scale}: 50,257 rows over the bundled 4,096-token tokenizer) must never generate an id the
 * tokenizer cannot decode. Rules out sampling over the whole logit row: with random weights half of this model's
 * probability mass lies beyond the tokenizer, so 40 generated tokens would almost surely include such ids.
 */
class GeneratorVocabularyTest {

    @Test
    void generatesOnlyIdsTheTokenizerCanDecode() throws Exception {
        TextTokenizer tok = TextTokenizer.load(BundledModels.resolve(BundledModels.TINY));
        int rows = 2 * tok.vocabSize();
        try (LanguageModel model = LanguageModel.random(ModelConfig.gpt2(rows, 64, 32, 1, 2), 7, tok, Device.cpu())) {
            Generator gen = new Generator(model);
            int beyond = 0;
            for (Generator.Options o : new Generator.Options[] {new Generator.Options(20, 1, 0, false),
                    new Generator.Options(20, 5, 3, false)}) {
                int[] ids = gen.generateIds(new int[0], o);
                assertEquals(20, ids.length);
                for (int id : ids) {
                    assertTrue(id >= 0 && id < tok.vocabSize(), "id " + id + " beyond the tokenizer's "
                            + tok.vocabSize() + " tokens");
                }
                tok.decode(ids); // decodes without "id out of range"
            }
            // the model itself does put mass beyond the tokenizer (otherwise this test would prove nothing)
            float[] logp = model.nextTokenLogProbs(tok.startOfText());
            for (int i = tok.vocabSize(); i < rows; i++) {
                beyond += logp[i] > logp[0] ? 1 : 0;
            }
            assertTrue(beyond > 0, "no id beyond the tokenizer is more likely than id 0");
        }
    }
}
