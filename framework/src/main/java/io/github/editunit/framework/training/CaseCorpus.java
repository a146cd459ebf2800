package io.github.editunit.framework.training;

import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import io.github.editunit.hardedit.world.FactWorld;
import io.github.editunit.hardedit.world.SubjectKind;
import io.github.editunit.hardedit.world.WorldSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The texts of a sandbox that should know the true facts of case files: every edit, paraphrase and
 * neighbour prompt followed by its ground truth, each repeated, with the same facts in the other
 * templates of their relation and a few background attributes per case subject
 * ({@link CaseFactStatements}: so the facts are stored at the subjects, where edits change them),
 * shuffled and grouped into short
 * documents (so subjects occur both at a text's start and after other sentences) with filler
 * sentences between them, mixed into the training documents of a generated background world
 * (fixed seed {@link #BACKGROUND_WORLD_SEED}), so the model learns a language, not only the facts.
 * The held-out perplexity texts are the background world's: fresh sentences of the same grammar
 * that occur in no training document (the case documents take their filler from the world's own
 * training background, see {@link FactWorld#backgroundSentences()}).
 *
 * @param cases the cases read (the model should recall their ground truths)
 * @param documents training texts, case documents and background documents shuffled together
 * @param caseDocuments how many of {@code documents} state case facts
 * @param backgroundSubjects subjects of the background world
 * @param singleTokenWords words the tokenizer should keep whole: the words of every subject, one-word ground truths
 *     and new targets (with the space before them) and the background world's words
 * @param heldOutTexts held-out perplexity texts (ME-PPL style: each starts with a space)
 */
public record CaseCorpus(List<EditCase> cases, List<String> documents, int caseDocuments, int backgroundSubjects,
        Set<String> singleTokenWords, List<String> heldOutTexts) {

    /** The seed of the background world every case sandbox is trained on. */
    public static final long BACKGROUND_WORLD_SEED = 42;
    /** The most background subjects: the bundled model's world size ({@link WorldSpec#defaults}). */
    public static final int MAX_BACKGROUND_SUBJECTS = 1000;
    /** The fewest background subjects (one per subject kind). */
    public static final int MIN_BACKGROUND_SUBJECTS = SubjectKind.values().length;

    public CaseCorpus {
        cases = List.copyOf(cases);
        documents = List.copyOf(documents);
        singleTokenWords = Collections.unmodifiableSet(new LinkedHashSet<>(singleTokenWords));
        heldOutTexts = List.copyOf(heldOutTexts);
    }

    /**
     * The background world's size when none is given: one subject per case, within
     * [{@link #MIN_BACKGROUND_SUBJECTS}, {@link #MAX_BACKGROUND_SUBJECTS}], so the background is about
     * as large as the facts it carries.
     */
    public static int defaultBackgroundSubjects(int cases) {
        return Math.max(MIN_BACKGROUND_SUBJECTS, Math.min(MAX_BACKGROUND_SUBJECTS, cases));
    }

    /** The background world of {@code subjects} subjects. */
    public static FactWorld backgroundWorld(int subjects) {
        if (subjects < MIN_BACKGROUND_SUBJECTS) {
            throw new IllegalArgumentException("background subjects " + subjects + ": at least "
                    + MIN_BACKGROUND_SUBJECTS + " (one per subject kind)");
        }
        return FactWorld.generate(WorldSpec.defaults(BACKGROUND_WORLD_SEED).withSubjectCount(subjects));
    }

    /**
     * Reads the case files and builds the corpus.
     *
     * @param backgroundSubjects size of the background world; null: {@link #defaultBackgroundSubjects}
     */
    public static CaseCorpus fromCaseFiles(List<Path> files, int repetitions, long seed, Integer backgroundSubjects)
            throws IOException {
        List<EditCase> cases = new ArrayList<>();
        for (Path f : files) {
            List<EditCase> read = CaseFileReader.readStrict(f);
            if (statements(read).isEmpty()) {
                throw new IOException(f + ": no case has a ground_truth or a neighbour ground truth to train on");
            }
            cases.addAll(read);
        }
        int subjects = backgroundSubjects != null ? backgroundSubjects : defaultBackgroundSubjects(cases.size());
        return of(cases, repetitions, seed, backgroundWorld(subjects));
    }

    /** The corpus of {@code cases}, mixed into {@code background}'s documents. */
    public static CaseCorpus of(List<EditCase> cases, int repetitions, long seed, FactWorld background) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions " + repetitions + ": must be at least 1");
        }
        if (statements(cases).isEmpty()) {
            throw new IllegalArgumentException("no case has a ground_truth or a neighbour ground truth to train on");
        }
        Random r = new Random(seed);
        List<String> pool = new ArrayList<>();
        List<String> peers = background.subjects().stream().map(s -> s.name()).toList();
        CaseFactStatements.build(cases, repetitions, background.relations(), peers, seed)
                .forEach((statement, times) -> pool.addAll(Collections.nCopies(times, statement)));
        Collections.shuffle(pool, r);
        List<String> filler = background.backgroundSentences();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < pool.size();) {
            int n = Math.min(pool.size() - i, 1 + r.nextInt(4));
            StringBuilder doc = new StringBuilder(pool.get(i));
            for (int k = 1; k < n; k++) {
                if (r.nextBoolean()) {
                    doc.append(' ').append(filler.get(r.nextInt(filler.size())));
                }
                doc.append(' ').append(pool.get(i + k));
            }
            if (r.nextBoolean()) {
                doc.append(' ').append(filler.get(r.nextInt(filler.size())));
            }
            docs.add(doc.toString());
            i += n;
        }
        int caseDocuments = docs.size();
        docs.addAll(background.trainingDocuments());
        Collections.shuffle(docs, r);

        Set<String> single = new TreeSet<>();
        for (EditCase c : cases) {
            addSubjectWords(single, c.subject());
            // objects follow a space, and recall reads the first token of " " + object: boost that form
            addObject(single, c.groundTruth());
            addObject(single, c.targetNew());
            for (NeighbourPrompt n : c.neighbours()) {
                addObject(single, n.groundTruth());
            }
        }
        single.addAll(background.singleTokenWords());
        return new CaseCorpus(cases, docs, caseDocuments, background.subjects().size(), single,
                background.heldOutPerplexityTexts());
    }

    /**
     * Every word of a subject, with the space before it, and its first word also without (a subject that
     * opens a text): so a subject's last token is a whole word of its own, the position ROME and MEMIT edit,
     * not a fragment shared with other words. Only words of letters can become single tokens.
     */
    static void addSubjectWords(Set<String> words, String subject) {
        if (subject == null || subject.isBlank()) {
            return;
        }
        String[] parts = subject.strip().split(" +");
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty() && parts[i].chars().allMatch(Character::isLetter)) {
                words.add(" " + parts[i]);
                if (i == 0) {
                    words.add(parts[i]);
                }
            }
        }
    }

    private static void addObject(Set<String> words, String object) {
        if (object != null && !object.isBlank() && !object.strip().contains(" ")) {
            words.add(" " + object.strip());
        }
    }

    /** "prompt truth." for every edit and paraphrase prompt with a ground truth and every neighbour with one. */
    static List<String> statements(List<EditCase> cases) {
        List<String> statements = new ArrayList<>();
        for (EditCase c : cases) {
            if (c.groundTruth() != null && !c.groundTruth().isBlank()) {
                statements.add(c.prompt() + " " + c.groundTruth() + ".");
                for (String p : c.paraphrasePrompts()) {
                    statements.add(p + " " + c.groundTruth() + ".");
                }
            }
            for (NeighbourPrompt n : c.neighbours()) {
                if (n.groundTruth() != null && !n.groundTruth().isBlank()) {
                    statements.add(n.prompt() + " " + n.groundTruth() + ".");
                }
            }
        }
        return statements;
    }
}
