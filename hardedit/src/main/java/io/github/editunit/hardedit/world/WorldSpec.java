package io.github.editunit.hardedit.world;

/**
 * Parameters of a generated fact world. Identical specs give byte-identical worlds.
 *
 * @param seed                    the seed of every random choice
 * @param subjectCount            number of subjects (spread over all {@link SubjectKind}s)
 * @param firstTokenShare         share of subjects that get a single-word name and edit prompts opening with it
 * @param minRelationsPerSubject  fewest facts per subject (capped by the relations of its kind)
 * @param maxRelationsPerSubject  most facts per subject
 * @param statementRepetitions    how often each (fact, training template) statement occurs in the training corpus
 * @param heldOutTexts            number of texts in the held-out perplexity corpus
 * @param singleEditCases         size of the single-edit suite
 * @param sequentialEdits         size of the sequential suite
 * @param firstTokenCaseShare     share of first-token cases in the suites
 */
public record WorldSpec(long seed, int subjectCount, double firstTokenShare, int minRelationsPerSubject,
                        int maxRelationsPerSubject, int statementRepetitions, int heldOutTexts,
                        int singleEditCases, int sequentialEdits, double firstTokenCaseShare) {

    public WorldSpec {
        require(subjectCount >= SubjectKind.values().length, "subjectCount must be at least the number of kinds");
        require(firstTokenShare >= 0 && firstTokenShare <= 1, "firstTokenShare must be in [0, 1]");
        require(minRelationsPerSubject >= 1 && maxRelationsPerSubject >= minRelationsPerSubject,
                "need 1 <= minRelationsPerSubject <= maxRelationsPerSubject");
        require(statementRepetitions >= 2, "statementRepetitions must be at least 2 (document start and after a prefix)");
        require(heldOutTexts >= 1, "heldOutTexts must be positive");
        require(singleEditCases >= 1 && singleEditCases <= subjectCount, "singleEditCases must be in [1, subjectCount]");
        require(sequentialEdits >= 1 && sequentialEdits <= subjectCount, "sequentialEdits must be in [1, subjectCount]");
        require(firstTokenCaseShare >= 0 && firstTokenCaseShare <= 1, "firstTokenCaseShare must be in [0, 1]");
    }

    /** 1,000 subjects, 2-3 facts each, 18% first-token subjects, 8 repetitions, 300 held-out texts, 200/100 cases. */
    public static WorldSpec defaults(long seed) {
        return new WorldSpec(seed, 1000, 0.18, 2, 3, 8, 300, 200, 100, 0.2);
    }

    /** A copy with another subject count (suite sizes are capped to it). */
    public WorldSpec withSubjectCount(int count) {
        return new WorldSpec(seed, count, firstTokenShare, minRelationsPerSubject, maxRelationsPerSubject,
                statementRepetitions, heldOutTexts, Math.min(singleEditCases, count), Math.min(sequentialEdits, count),
                firstTokenCaseShare);
    }

    /** A copy with another number of statement repetitions. */
    public WorldSpec withStatementRepetitions(int repetitions) {
        return new WorldSpec(seed, subjectCount, firstTokenShare, minRelationsPerSubject, maxRelationsPerSubject,
                repetitions, heldOutTexts, singleEditCases, sequentialEdits, firstTokenCaseShare);
    }

    /** A copy with another seed. */
    public WorldSpec withSeed(long newSeed) {
        return new WorldSpec(newSeed, subjectCount, firstTokenShare, minRelationsPerSubject, maxRelationsPerSubject,
                statementRepetitions, heldOutTexts, singleEditCases, sequentialEdits, firstTokenCaseShare);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
