package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the training documents. Every (fact, training template) statement occurs
 * {@link WorldSpec#statementRepetitions()} times: once guaranteed at the start of a document, once
 * guaranteed after a prefix, the rest anywhere. Documents hold mostly 2-5 statements interleaved with
 * background sentences; each document is a single line of space-separated sentences.
 */
final class TrainingCorpusBuilder {

    private static final double MEAN_STATEMENTS_PER_DOCUMENT = 3.5;
    private static final int MAX_STATEMENTS_PER_DOCUMENT = 5;

    private TrainingCorpusBuilder() {
    }

    /** The documents plus the set of background sentences they use (the held-out corpus avoids those). */
    record Corpus(List<String> documents, java.util.Set<String> backgroundSentences) {
    }

    static Corpus build(WorldSpec spec, List<Fact> facts) {
        SplittableRandom rnd = Seeds.stream(spec.seed(), Seeds.CORPUS);
        BackgroundGrammar grammar = new BackgroundGrammar();
        List<String> openers = new ArrayList<>();
        List<String> body = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (Fact f : facts) {
            for (String t : f.trainingTemplates()) {
                String statement = f.statement(t);
                openers.add(statement);
                body.add(statement);
                for (int i = 2; i < spec.statementRepetitions(); i++) {
                    free.add(statement);
                }
            }
        }
        Seeds.shuffle(openers, rnd);
        Seeds.shuffle(free, rnd);
        int total = openers.size() * spec.statementRepetitions();
        int documentCount = Math.max(openers.size(), (int) Math.ceil(total / MEAN_STATEMENTS_PER_DOCUMENT));

        List<List<String>> docs = new ArrayList<>(documentCount);
        for (int d = 0; d < documentCount; d++) {
            List<String> doc = new ArrayList<>();
            doc.add(d < openers.size() ? openers.get(d) : free.remove(free.size() - 1));
            docs.add(doc);
        }
        body.addAll(free);
        Seeds.shuffle(body, rnd);
        int next = 0;
        for (int d = 0; d < documentCount && next < body.size(); d++) {
            docs.get(d).add(body.get(next++));
        }
        while (next < body.size()) {
            List<String> doc = docs.get(rnd.nextInt(documentCount));
            if (doc.size() < MAX_STATEMENTS_PER_DOCUMENT) {
                doc.add(body.get(next++));
            } else {
                for (List<String> other : docs) {
                    if (other.size() < MAX_STATEMENTS_PER_DOCUMENT) {
                        other.add(body.get(next++));
                        break;
                    }
                }
            }
        }

        java.util.Set<String> background = new java.util.HashSet<>();
        List<String> documents = new ArrayList<>(documentCount);
        for (List<String> statements : docs) {
            StringBuilder text = new StringBuilder(statements.get(0));
            for (int i = 1; i < statements.size(); i++) {
                if (rnd.nextBoolean()) {
                    String sentence = grammar.sentence(rnd);
                    background.add(sentence);
                    text.append(' ').append(sentence);
                }
                text.append(' ').append(statements.get(i));
            }
            if (rnd.nextBoolean()) {
                String sentence = grammar.sentence(rnd);
                background.add(sentence);
                text.append(' ').append(sentence);
            }
            documents.add(text.toString());
        }
        return new Corpus(List.copyOf(documents), java.util.Collections.unmodifiableSet(background));
    }
}
