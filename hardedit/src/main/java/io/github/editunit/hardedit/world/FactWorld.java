package io.github.editunit.hardedit.world;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deterministic synthetic world of subjects, relations and true facts, plus the texts derived from it
 * (training documents and a held-out perplexity corpus). The same {@link WorldSpec} always gives the same
 * world; the derived texts are computed lazily from the spec and the facts, so a world loaded back with
 * {@link #load(Path)} yields the same texts as the generated one.
 */
public final class FactWorld {

    private final WorldSpec spec;
    private final List<Relation> relations;
    private final List<Subject> subjects;
    private final List<Fact> facts;
    private final Map<String, Subject> subjectsByName = new LinkedHashMap<>();
    private TrainingCorpusBuilder.Corpus corpus;
    private List<String> heldOut;

    FactWorld(WorldSpec spec, List<Relation> relations, List<Subject> subjects, List<Fact> facts) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.relations = List.copyOf(relations);
        this.subjects = List.copyOf(subjects);
        this.facts = List.copyOf(facts);
        for (Subject s : subjects) {
            subjectsByName.put(s.name(), s);
        }
    }

    /** Generates the world described by {@code spec}. */
    public static FactWorld generate(WorldSpec spec) {
        List<Subject> subjects = SubjectGenerator.generate(spec);
        List<Fact> facts = FactGenerator.generate(spec, subjects);
        return new FactWorld(spec, RelationCatalog.relations(), subjects, facts);
    }

    /** Loads a world written by {@link WorldFiles}: a directory holding {@code facts.json}, or that file. */
    public static FactWorld load(Path dirOrFactsJson) {
        return FactWorldJson.read(dirOrFactsJson);
    }

    public WorldSpec spec() {
        return spec;
    }

    /** All relations of the catalog. */
    public List<Relation> relations() {
        return relations;
    }

    public List<Subject> subjects() {
        return subjects;
    }

    /** All facts; {@code facts().get(i).id() == i}. */
    public List<Fact> facts() {
        return facts;
    }

    /** The subject with this name. */
    public Subject subject(String name) {
        Subject s = subjectsByName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown subject " + name);
        }
        return s;
    }

    /** The relation with this id. */
    public Relation relation(String id) {
        return relations.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown relation " + id));
    }

    /**
     * Words that should become single BPE tokens (tokenizer trainers may boost them): the names of the
     * first-token candidate subjects and every object of every relation. Sorted.
     */
    public Set<String> singleTokenWords() {
        Set<String> words = new TreeSet<>();
        for (Subject s : subjects) {
            if (s.firstTokenCandidate()) {
                words.add(s.name());
            }
        }
        for (Relation r : relations) {
            words.addAll(r.objects());
        }
        return Collections.unmodifiableSet(words);
    }

    /** The training documents, one string each, no line breaks inside. */
    public synchronized List<String> trainingDocuments() {
        if (corpus == null) {
            corpus = TrainingCorpusBuilder.build(spec, facts);
        }
        return corpus.documents();
    }

    /**
     * The background sentences (filler from the world's grammar, no facts) the training documents use,
     * sorted. Texts that mix other statements into this background stay disjoint from
     * {@link #heldOutPerplexityTexts()} as long as they take their filler from here.
     */
    public synchronized List<String> backgroundSentences() {
        trainingDocuments();
        return List.copyOf(new TreeSet<>(corpus.backgroundSentences()));
    }

    /** Held-out perplexity texts, each starting with a space (ME-PPL style); none occurs in training. */
    public synchronized List<String> heldOutPerplexityTexts() {
        if (heldOut == null) {
            trainingDocuments();
            heldOut = HeldOutCorpusBuilder.build(spec, facts, corpus.backgroundSentences());
        }
        return heldOut;
    }
}
