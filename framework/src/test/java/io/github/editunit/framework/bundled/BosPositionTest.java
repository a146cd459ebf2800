package io.github.editunit.framework.bundled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.editunit.framework.editing.ContextTemplates;
import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.EditRequest;
import io.github.editunit.framework.editing.FineTuneEditor;
import io.github.editunit.framework.editing.FineTuneHyperparameters;
import io.github.editunit.framework.editing.SubjectLocator;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.metrics.PromptTarget;
import io.github.editunit.framework.metrics.TeacherForcedScore;
import io.github.editunit.framework.metrics.TeacherForcing;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.model.TokenCodec;
import io.github.editunit.framework.perplexity.Perplexity;
import io.github.editunit.framework.perplexity.PerplexityResult;
import io.github.editunit.framework.perplexity.SentenceCorpus;
import io.github.editunit.framework.stats.StatsSample;
import io.github.editunit.framework.tokenizer.BosFixtures;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core of BOS support: the bundled model, and the SAME weights behind a tokenizer that puts a BOS
 * ({@code <|endoftext|>}, GPT-2's conventional BOS) before every input. Subject location, teacher
 * forcing, perplexity, generation, context templates, statistics samples and FT's loss all move by
 * exactly the prefix length, read the same tokens, and count what the recipe says; the nearest wrong
 * variants (BOS added twice, BOS scored, index not shifted) are ruled out by exact comparison with
 * positions computed by hand from {@link LanguageModel#tokenLogProbs}.
 */
class BosPositionTest {

    @TempDir
    static Path tmp;

    static Path bosDir;
    static LanguageModel plain;
    static LanguageModel bos;
    static int bosId;
    static List<EditCase> cases;

    @BeforeAll
    static void load() throws IOException {
        bosDir = tmp.resolve("editunit-tiny-bos");
        bosId = BosFixtures.bundledWithBos(bosDir);
        plain = ModelFiles.load(BundledModels.tiny());
        bos = ModelFiles.load(bosDir);
        cases = CaseFileReader.readStrict(BundledModels.tiny().resolve("suites/single-edit.json"));
    }

    @AfterAll
    static void close() {
        plain.close();
        bos.close();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] withBos(int[] ids) {
        return concat(new int[] {bosId}, ids);
    }

    @Test
    void sameWeightsAndVocabularyOnlyTheTokenizerAddsABos() {
        assertThat(bos.parameters().contentHash()).isEqualTo(plain.parameters().contentHash());
        assertThat(plain.tokenizer().sequencePrefix()).isEmpty();
        assertThat(plain.tokenizer().addsBos()).isFalse();
        assertThat(bos.tokenizer().sequencePrefix()).containsExactly(bosId);
        assertThat(bosId).isEqualTo(plain.tokenizer().eosId());
        assertThat(bos.tokenizer().bosToken()).isEqualTo("<|endoftext|>");
        String text = cases.get(0).prompt();
        assertThat(bos.tokenizer().encode(text)).isEqualTo(plain.tokenizer().encode(text)); // encode: never a BOS
        assertThat(bos.tokenizer().encodeInput(text)).isEqualTo(withBos(plain.tokenizer().encode(text)));
    }

    @Test
    void theSubjectLastTokenShiftsByThePrefixAndIsTheSameToken() {
        SubjectLocator p = new SubjectLocator(plain.tokenizer());
        SubjectLocator b = new SubjectLocator(bos.tokenizer());
        int firstTokenCases = 0;
        List<String> contexts = List.of("{}", "The weather was fine. {}");
        for (EditCase c : cases.subList(0, 60)) {
            int[] forcing = SubjectLocator.withoutLast(p.targetIds(c.targetNew()));
            assertThat(b.targetIds(c.targetNew())).isEqualTo(p.targetIds(c.targetNew())); // appended: no BOS
            for (String ctx : contexts) {
                String template = ctx.replace("{}", c.template());
                SubjectLocator.Located lp = p.locate(template, c.subject(), forcing);
                SubjectLocator.Located lb = b.locate(template, c.subject(), forcing);
                // the BOS once, in front, and nothing else changed (not twice, not missing)
                assertThat(lb.ids()).isEqualTo(withBos(lp.ids()));
                assertThat(lb.ids()[1]).isNotEqualTo(bosId);
                assertThat(lp.textStart()).isZero();
                assertThat(lb.textStart()).isEqualTo(1);
                // shifted by exactly the prefix, and pointing at the same token id
                assertThat(lb.subjectLast()).isEqualTo(lp.subjectLast() + 1);
                assertThat(lb.subjectFirst()).isEqualTo(lp.subjectFirst() + 1);
                assertThat(lb.ids()[lb.subjectLast()]).isEqualTo(lp.ids()[lp.subjectLast()]);
                assertThat(lb.subjectEndsOnFirstTextToken()).isEqualTo(lp.subjectEndsOnFirstTextToken());
                if (lp.subjectLast() == 0) {
                    firstTokenCases++;
                    assertThat(lb.subjectLast()).isEqualTo(1); // the first-token case is the first text token
                    assertThat(lb.subjectEndsOnFirstTextToken()).isTrue();
                }
            }
            assertThat(b.subjectLastIndex(c.template(), c.subject()))
                    .isEqualTo(p.subjectLastIndex(c.template(), c.subject()) + 1);
        }
        assertThat(firstTokenCases).as("first-token cases among those checked").isPositive();
    }

    /** {@code log P(target_j | prompt, target_<j)} read by hand at {@code promptIds.length − 1 + j}. */
    private static float[] byHand(LanguageModel m, int[] promptIds, int[] target, int shift) {
        float[] lp = m.tokenLogProbs(List.of(concat(promptIds, target))).get(0); // lp[i] predicts token i + 1
        float[] out = new float[target.length];
        for (int j = 0; j < target.length; j++) {
            out[j] = lp[promptIds.length - 1 + j + shift];
        }
        return out;
    }

    @Test
    void teacherForcedTargetsAreReadAtPositionsShiftedByThePrefix() {
        TeacherForcing tp = new TeacherForcing(plain);
        TeacherForcing tb = new TeacherForcing(bos);
        boolean unshiftedDiffers = false;
        for (EditCase c : cases.subList(0, 20)) {
            PromptTarget pair = new PromptTarget(c.prompt(), c.targetNew());
            int[] pp = tp.promptIds(c.prompt());
            int[] pb = tb.promptIds(c.prompt());
            assertThat(pb).isEqualTo(withBos(pp));
            int[] target = tp.targetIds(c.targetNew());
            assertThat(tb.targetIds(c.targetNew())).isEqualTo(target);

            TeacherForcedScore sp = tp.score(pair);
            TeacherForcedScore sb = tb.score(pair);
            float[] handP = byHand(plain, pp, target, 0);
            float[] handB = byHand(bos, pb, target, 0);
            for (int j = 0; j < target.length; j++) {
                assertThat((double) sp.logProbs()[j]).isCloseTo(handP[j], within(1e-4));
                assertThat((double) sb.logProbs()[j]).isCloseTo(handB[j], within(1e-4));
            }
            // reading one position early (the index not shifted for the BOS) is another prediction
            float[] early = byHand(bos, pb, target, -1);
            for (int j = 0; j < target.length; j++) {
                unshiftedDiffers |= Math.abs(early[j] - sb.logProbs()[j]) > 1e-3;
            }
        }
        assertThat(unshiftedDiffers).isTrue();
        // an empty prompt starts from the BOS (or, without one, from end-of-text: here the same id)
        assertThat(tb.promptIds("")).containsExactly(bosId);
        assertThat(tp.promptIds("")).containsExactly(plain.tokenizer().eosId());
    }

    @Test
    void perplexityScoresEveryTextTokenAfterTheBosAndAllButTheFirstWithout() throws IOException {
        List<String> sentences = new ArrayList<>(SentenceCorpus.read(BundledModels.tiny().resolve("suites/heldout-ppl.json"))
                .limit(12).sentences());
        String oneToken = " the";
        assertThat(plain.tokenizer().encode(oneToken)).hasSize(1);
        sentences.add(oneToken);
        sentences.add("");
        PerplexityResult rp = Perplexity.withDefaults().compute(plain, sentences);
        PerplexityResult rb = Perplexity.withDefaults().compute(bos, sentences);
        assertThat(rp.bos()).isFalse();
        assertThat(rb.bos()).isTrue();
        assertThat(rb.sequencePrefixLength()).isEqualTo(1);
        long expectedP = 0;
        long expectedB = 0;
        boolean doubleBosDiffers = false;
        for (int i = 0; i < sentences.size(); i++) {
            int[] ids = plain.tokenizer().encode(sentences.get(i));
            int n = ids.length;
            assertThat(rp.scoredTokens()[i]).as("scored without BOS, %s", sentences.get(i)).isEqualTo(n >= 2 ? n - 1 : 0);
            assertThat(rb.scoredTokens()[i]).as("scored with BOS, %s", sentences.get(i)).isEqualTo(n); // not n + 1
            expectedP += n >= 2 ? n - 1 : 0;
            expectedB += n;
            if (n >= 2) {
                assertThat(rp.perSentence()[i]).isCloseTo(pplByHand(plain, ids), within(1e-3 * rp.perSentence()[i]));
            } else {
                assertThat(rp.perSentence()[i]).isNaN();
            }
            if (n >= 1) {
                double hand = pplByHand(bos, withBos(ids));
                assertThat(rb.perSentence()[i]).isCloseTo(hand, within(1e-3 * hand));
                double twice = pplByHand(bos, withBos(withBos(ids)));
                doubleBosDiffers |= Math.abs(twice - hand) > 1e-2 * hand;
            } else {
                assertThat(rb.perSentence()[i]).isNaN();
            }
        }
        assertThat(rp.tokens()).isEqualTo(expectedP);
        assertThat(rb.tokens()).isEqualTo(expectedB);
        assertThat(rp.skipped()).isEqualTo(2); // the one-token and the empty sentence
        assertThat(rb.skipped()).isEqualTo(1); // only the empty one
        assertThat(rb.sentences()).isEqualTo(rp.sentences() + 1);
        assertThat(doubleBosDiffers).isTrue();
    }

    /** exp(mean −log P) over every position after the first of {@code input}. */
    private static double pplByHand(LanguageModel m, int[] input) {
        float[] lp = m.tokenLogProbs(List.of(input)).get(0);
        double nll = 0;
        for (float v : lp) {
            nll -= v;
        }
        return Math.exp(nll / lp.length);
    }

    @Test
    void generationContinuesAfterTheBosWithTheSameTextStructure() {
        Generator gp = new Generator(plain);
        Generator gb = new Generator(bos);
        TokenCodec tb = bos.tokenizer();
        int same = 0;
        List<EditCase> some = cases.subList(0, 10);
        for (EditCase c : some) {
            String cp = gp.generate(c.prompt(), Generator.Options.greedy(4));
            String cb = gb.generate(c.prompt(), Generator.Options.greedy(4));
            int[] idsB = gb.generateIds(tb.encodeInput(c.prompt()), Generator.Options.greedy(4));
            assertThat(cb).isEqualTo(tb.decode(idsB)); // only the new text: neither the BOS nor the prompt
            assertThat(cb).doesNotContain("<|endoftext|>").doesNotStartWith(c.prompt());
            assertThat(cp).isEqualTo(plain.tokenizer().decode(gp.generateIds(plain.tokenizer().encode(c.prompt()),
                    Generator.Options.greedy(4))));
            int[] idsP = gp.generateIds(plain.tokenizer().encode(c.prompt()), Generator.Options.greedy(1));
            int[] firstB = gb.generateIds(tb.encodeInput(c.prompt()), Generator.Options.greedy(1));
            if (Arrays.equals(idsP, firstB) && cb.startsWith(plain.tokenizer().decode(idsP))) {
                same++;
            }
        }
        // the model was trained on documents separated by <|endoftext|>, so with it in front it gives the same
        // answer (the next token) to its fact prompts
        assertThat(same).as("same next token with and without the BOS").isGreaterThanOrEqualTo(some.size() - 1);
        // an empty prompt starts from the BOS alone (not from it twice): here that is the same id as without one
        assertThat(gb.generate("", Generator.Options.greedy(6))).isEqualTo(gp.generate("", Generator.Options.greedy(6)));
        // ROME's templates seeded from the document start: the same ids here, so the same templates
        int[][] lengths = {{5, 2}, {10, 1}};
        assertThat(ContextTemplates.generateFromEndOfText(bos, lengths, 7).templates())
                .isEqualTo(ContextTemplates.generateFromEndOfText(plain, lengths, 7).templates());
        // seed words: the word's tokens count towards the length, the BOS does not
        ContextTemplates words = ContextTemplates.generateFromSeedWords(bos, new int[][] {{6, 1}}, 3);
        for (String t : words.prefixed()) {
            assertThat(t).doesNotContain("<|endoftext|>").endsWith(". {}");
        }
    }

    @Test
    void statisticsSamplesStartWithTheBosLikeEveryOtherInput() {
        List<String> texts = List.of("The weather was fine.", "", "A second text");
        SentenceCorpus corpus = new SentenceCorpus("t", texts);
        StatsSample sp = StatsSample.fromTexts(corpus, 0, plain.tokenizer(), plain.config().contextLength());
        StatsSample sb = StatsSample.fromTexts(corpus, 0, bos.tokenizer(), bos.config().contextLength());
        assertThat(sb.size()).isEqualTo(sp.size()).isEqualTo(2); // the empty text is left out by both
        for (int i = 0; i < sp.size(); i++) {
            assertThat(sb.sequences().get(i)).isEqualTo(withBos(sp.sequences().get(i)));
        }
        assertThat(sb.contentHash()).isNotEqualTo(sp.contentHash()); // another statistics cache entry
    }

    @Test
    void fineTuningReadsItsLossAtThePromptsLastTokenAfterTheBos() {
        EditRequest r = EditRequests.of(cases.get(3));
        for (boolean teacherForced : new boolean[] {false, true}) {
            FineTuneHyperparameters hp = new FineTuneHyperparameters(new int[] {0}, 1, 1e-9, 0, 0.01, 0,
                    teacherForced);
            for (LanguageModel m : List.of(plain, bos)) {
                int[] prompt = m.tokenizer().encodeInput(r.prompt());
                int[] target = new SubjectLocator(m.tokenizer()).targetIds(r.targetNew());
                double expected = 0;
                if (teacherForced) {
                    float[] hand = byHand(m, prompt, target, 0);
                    for (float v : hand) {
                        expected -= v;
                    }
                } else {
                    float[] next = m.nextTokenLogProbs(prompt);
                    for (int t : target) {
                        expected -= next[t];
                    }
                }
                expected /= target.length;
                try (EditOutcome o = new FineTuneEditor(hp).apply(m, List.of(r))) {
                    double first = o.diagnostics().lossTrajectories().get("fineTune").get(0);
                    assertThat(first).as("first FT loss, BOS %s, teacher forced %s", m.tokenizer().addsBos(),
                            teacherForced).isCloseTo(expected, within(1e-4));
                    assertThat(o.diagnostics().toMap()).containsEntry("bos", m.tokenizer().addsBos())
                            .containsEntry("bosToken", m.tokenizer().bosToken());
                }
            }
        }
        assertThat(bos.parameters().contentHash()).isEqualTo(plain.parameters().contentHash()); // both restored
    }
}
