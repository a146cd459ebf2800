package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Texts for held-out perplexity: background sentences that never occur in the training corpus, a quarter
 * of them preceded by a true fact statement (with a training template). Each text starts with a space,
 * like the ME-PPL corpus.
 */
final class HeldOutCorpusBuilder {

    private HeldOutCorpusBuilder() {
    }

    static List<String> build(WorldSpec spec, List<Fact> facts, Set<String> trainingBackground) {
        SplittableRandom rnd = Seeds.stream(spec.seed(), Seeds.HELD_OUT);
        BackgroundGrammar grammar = new BackgroundGrammar();
        java.util.Set<String> used = new java.util.HashSet<>(trainingBackground);
        List<String> texts = new ArrayList<>(spec.heldOutTexts());
        while (texts.size() < spec.heldOutTexts()) {
            StringBuilder text = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                Fact f = Seeds.pick(facts, rnd);
                text.append(' ').append(f.statement(Seeds.pick(f.trainingTemplates(), rnd)));
            }
            int sentences = 1 + rnd.nextInt(2);
            for (int i = 0; i < sentences; i++) {
                text.append(' ').append(freshSentence(grammar, rnd, used));
            }
            texts.add(text.toString());
        }
        return List.copyOf(texts);
    }

    private static String freshSentence(BackgroundGrammar grammar, SplittableRandom rnd, Set<String> used) {
        for (int attempt = 0; attempt < 100_000; attempt++) {
            String s = grammar.sentence(rnd);
            if (used.add(s)) {
                return s;
            }
        }
        throw new IllegalStateException("background grammar exhausted");
    }
}
