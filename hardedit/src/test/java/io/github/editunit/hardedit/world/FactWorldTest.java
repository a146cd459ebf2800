package io.github.editunit.hardedit.world;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class FactWorldTest {

    @TempDir
    Path dir;

    private final FactWorld world = DefaultWorld.get();

    @Test
    void sameSeedGivesIdenticalFilesAndDifferentSeedDifferentOnes() throws Exception {
        WorldSpec small = WorldSpec.defaults(7).withSubjectCount(300).withStatementRepetitions(3);
        String first = hash(WorldFiles.write(FactWorld.generate(small), dir.resolve("a")));
        String second = hash(WorldFiles.write(FactWorld.generate(small), dir.resolve("b")));
        String other = hash(WorldFiles.write(FactWorld.generate(small.withSeed(8)), dir.resolve("c")));
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("the background sentences are the training documents' filler, sorted, and none "
            + "is in a held-out text (rules out filler that would leak held-out text into a corpus built from it)")
    void backgroundSentencesAreTrainingFillerDisjointFromHeldOut() {
        FactWorld small = FactWorld.generate(WorldSpec.defaults(42).withSubjectCount(40));
        List<String> background = small.backgroundSentences();
        assertThat(background).isNotEmpty().isSorted().doesNotHaveDuplicates();
        String training = String.join("\n", small.trainingDocuments());
        for (String s : background) {
            assertThat(training).contains(s);
            assertThat(small.heldOutPerplexityTexts()).noneMatch(h -> h.contains(s));
        }
        // no fact statement among them
        Set<String> statements = new HashSet<>();
        for (Fact f : small.facts()) {
            for (String t : f.trainingTemplates()) {
                statements.add(f.statement(t));
            }
        }
        assertThat(background).doesNotContainAnyElementsOf(statements);
    }

    @Test
    void defaultWorldIsDeterministicToo() {
        FactWorld again = FactWorld.generate(DefaultWorld.SPEC);
        assertThat(again.subjects()).isEqualTo(world.subjects());
        assertThat(again.facts()).isEqualTo(world.facts());
        assertThat(again.trainingDocuments().hashCode()).isEqualTo(world.trainingDocuments().hashCode());
    }

    @Test
    void hasTheRequiredSizes() {
        assertThat(world.subjects()).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(world.facts()).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(world.relations()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(world.facts().stream().map(Fact::relation).distinct().count()).isGreaterThanOrEqualTo(15);
        assertThat(world.subjects().stream().map(Subject::kind).distinct().count())
                .isEqualTo(SubjectKind.values().length);
        assertThat(world.heldOutPerplexityTexts()).hasSizeGreaterThanOrEqualTo(200);
        for (int i = 0; i < world.facts().size(); i++) {
            assertThat(world.facts().get(i).id()).isEqualTo(i);
        }
    }

    @Test
    void namesAreUniqueAndNoNameIsASubstringOfAnother() {
        List<String> names = world.subjects().stream().map(Subject::name).toList();
        assertThat(new HashSet<>(names)).hasSameSizeAs(names);
        List<String> lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < lower.size(); i++) {
            for (int j = 0; j < lower.size(); j++) {
                if (i != j && lower.get(j).contains(lower.get(i))) {
                    throw new AssertionError(names.get(i) + " is a substring of " + names.get(j));
                }
            }
        }
        assertThat(names).anyMatch(n -> !n.contains(" ")).anyMatch(n -> n.split(" ").length >= 2)
                .anyMatch(n -> n.startsWith("The "));
    }

    @Test
    void firstTokenCandidatesAreSingleWordsWithSubjectFirstEditPrompts() {
        List<Subject> candidates = world.subjects().stream().filter(Subject::firstTokenCandidate).toList();
        assertThat((double) candidates.size() / world.subjects().size()).isBetween(0.15, 0.20);
        assertThat(candidates).allSatisfy(s -> assertThat(s.name()).doesNotContain(" "));
        Set<String> candidateNames = candidates.stream().map(Subject::name).collect(Collectors.toSet());
        for (Fact f : world.facts()) {
            assertThat(f.editPrompt().startsWith(f.subject())).isEqualTo(candidateNames.contains(f.subject()));
            assertThat(f.trainingTemplates()).contains(f.editTemplate()).doesNotContain(f.heldOutTemplate());
        }
        assertThat(world.singleTokenWords()).containsAll(candidateNames).contains("French", "piano", "Toyota", "Europe")
                .allSatisfy(w -> assertThat(w).doesNotContain(" "));
    }

    @Test
    void heldOutPromptsNeverOccurInTrainingCorpus() {
        String corpus = String.join("\n", world.trainingDocuments());
        for (Fact f : world.facts()) {
            assertThat(corpus.contains(f.heldOutPrompt()))
                    .as("held-out prompt of fact %d: %s", f.id(), f.heldOutPrompt()).isFalse();
        }
    }

    @Test
    void everyTrainingStatementIsRepeatedAtDocumentStartAndAfterAPrefix() {
        Map<String, int[]> counts = new HashMap<>(); // [total, atStart, afterPrefix]
        for (Fact f : world.facts()) {
            for (String t : f.trainingTemplates()) {
                counts.put(f.statement(t), new int[3]);
            }
        }
        for (String doc : world.trainingDocuments()) {
            assertThat(doc).doesNotContain("\n");
            for (String sentence : splitStatements(doc, counts.keySet())) {
                int[] c = counts.get(sentence.strip());
                c[0]++;
                c[sentence.startsWith(" ") ? 2 : 1]++;
            }
        }
        counts.forEach((statement, c) -> {
            assertThat(c[0]).as(statement).isGreaterThanOrEqualTo(DefaultWorld.SPEC.statementRepetitions());
            assertThat(c[1]).as(statement + " at document start").isPositive();
            assertThat(c[2]).as(statement + " after a prefix").isPositive();
        });
        assertThat(world.trainingDocuments().get(0)).contains(". ");
    }

    /** The statements of a document, those after a prefix marked with a leading space. */
    private static List<String> splitStatements(String doc, Set<String> statements) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < doc.length()) {
            int end = doc.indexOf(". ", start);
            end = end < 0 ? doc.length() : end + 1;
            String sentence = doc.substring(start, end);
            if (statements.contains(sentence)) {
                out.add(start == 0 ? sentence : " " + sentence);
            }
            start = end + 1;
        }
        return out;
    }

    @Test
    void heldOutPerplexityTextsAreNewAndMePplLike() {
        Set<String> training = new HashSet<>();
        for (String doc : world.trainingDocuments()) {
            for (String s : doc.split("(?<=\\.) ")) {
                training.add(s);
            }
        }
        for (String text : world.heldOutPerplexityTexts()) {
            assertThat(text).startsWith(" ");
            List<String> sentences = List.of(text.strip().split("(?<=\\.) "));
            assertThat(sentences).anyMatch(s -> !training.contains(s));
        }
    }

    @Test
    void writesAllFilesAndLoadsFactsBack() throws Exception {
        WorldSpec small = WorldSpec.defaults(3).withSubjectCount(200).withStatementRepetitions(2);
        FactWorld generated = FactWorld.generate(small);
        WorldFiles files = WorldFiles.write(generated, dir);
        assertThat(files.all()).allSatisfy(p -> assertThat(p).isRegularFile());
        assertThat(files.all()).extracting(p -> p.getFileName().toString()).containsExactly("corpus.txt",
                "heldout-ppl.json", "single-edit.json", "single-edit.extended.json", "sequential-100.json",
                "sequential-100.extended.json", "facts.json");
        assertThat(files.readCorpus()).isEqualTo(generated.trainingDocuments());

        FactWorld loaded = FactWorld.load(dir);
        assertThat(loaded.spec()).isEqualTo(small);
        assertThat(loaded.relations()).isEqualTo(generated.relations());
        assertThat(loaded.subjects()).isEqualTo(generated.subjects());
        assertThat(loaded.facts()).isEqualTo(generated.facts());
        assertThat(loaded.trainingDocuments()).isEqualTo(generated.trainingDocuments());
        assertThat(loaded.heldOutPerplexityTexts()).isEqualTo(generated.heldOutPerplexityTexts());

        var heldOut = new com.fasterxml.jackson.databind.ObjectMapper().readTree(files.heldOutPerplexity().toFile());
        assertThat(heldOut.size()).isEqualTo(small.heldOutTexts());
        assertThat(heldOut.get(0).get("Corpus").asText()).isEqualTo("EditUnitWorld");
        assertThat(heldOut.get(0).get("Text").asText()).startsWith(" ");
    }

    private static String hash(WorldFiles files) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Path p : files.all()) {
            sha.update(p.getFileName().toString().getBytes());
            sha.update(Files.readAllBytes(p));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
