package io.github.editunit.framework.training;

import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Training documents that state the true facts of case files: every edit, paraphrase and
 * neighbour prompt followed by its ground truth, each repeated, shuffled and grouped into
 * short documents so subjects occur both at a text's start and after other sentences.
 *
 * @param documents training texts
 * @param singleTokenWords one-word subjects, which the tokenizer should keep whole
 */
public record CaseCorpus(List<String> documents, Set<String> singleTokenWords) {

    public static CaseCorpus fromCaseFiles(List<Path> files, int repetitions, long seed) throws IOException {
        List<String> statements = new ArrayList<>();
        Set<String> single = new LinkedHashSet<>();
        for (Path f : files) {
            for (EditCase c : CaseFileReader.readStrict(f)) {
                if (c.groundTruth() != null && !c.groundTruth().isBlank()) {
                    statements.add(c.prompt() + " " + c.groundTruth() + ".");
                    for (String p : c.paraphrasePrompts()) {
                        statements.add(p + " " + c.groundTruth() + ".");
                    }
                }
                for (NeighbourPrompt n : c.neighbours()) {
                    if (n.groundTruth() != null) {
                        statements.add(n.prompt() + " " + n.groundTruth() + ".");
                    }
                }
                if (!c.subject().contains(" ")) {
                    single.add(c.subject());
                }
            }
        }
        if (statements.isEmpty()) {
            throw new IOException(files + ": no case has a ground_truth to train on");
        }
        Random r = new Random(seed);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            pool.addAll(statements);
        }
        Collections.shuffle(pool, r);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < pool.size();) {
            int n = 1 + r.nextInt(4);
            docs.add(String.join(" ", pool.subList(i, Math.min(pool.size(), i + n))));
            i += n;
        }
        return new CaseCorpus(docs, single);
    }
}
