package io.github.editunit.hardedit.world;

import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * Builds edit suites from a {@link FactWorld}: a single-edit suite ({@link WorldSpec#singleEditCases()}
 * cases) and a sequential suite ({@link WorldSpec#sequentialEdits()} cases), each over distinct subjects
 * and distinct facts, with about {@link WorldSpec#firstTokenCaseShare()} first-token cases.
 *
 * <p>Each case: prompt = the fact's edit prompt; target_new = another object of the relation; ground truth =
 * the true object; paraphrases = the held-out prompt first, then up to two other training prompts;
 * neighbours = 3-5 facts of the same relation about other subjects (preferably with the same true object,
 * like CounterFact), each with its own edit prompt and true object; tags = relation id, plus
 * {@value EditCase#FIRST_TOKEN_TAG} when the prompt starts with the subject and the subject token counter
 * says the subject is one token. The case id is the fact id. Neighbours of the sequential suite never
 * concern a subject edited in that suite.
 */
public final class SuiteGenerator {

    private static final long SINGLE = 1;
    private static final long SEQUENTIAL = 2;

    private final FactWorld world;
    private final ToIntFunction<String> subjectTokenCounter;

    /**
     * Uses the default subject token counter, which assumes the tokenizer was trained to make exactly the
     * first-token candidates single tokens (1 for them, 2 for every other subject).
     */
    public SuiteGenerator(FactWorld world) {
        this(world, name -> world.subject(name).firstTokenCandidate() ? 1 : 2);
    }

    /** Uses a real tokenizer's count of the subject's tokens (at prompt start, without leading space). */
    public SuiteGenerator(FactWorld world, ToIntFunction<String> subjectTokenCounter) {
        this.world = world;
        this.subjectTokenCounter = subjectTokenCounter;
    }

    /** True when the fact's edit prompt starts with its subject and the subject counts as one token. */
    public boolean isFirstToken(Fact f) {
        return f.editPrompt().startsWith(f.subject()) && subjectTokenCounter.applyAsInt(f.subject()) == 1;
    }

    /** The single-edit suite. */
    public List<EditCase> singleEditSuite() {
        return suite(world.spec().singleEditCases(), SINGLE, false, "single-edit");
    }

    /** The sequential suite (to be applied one after another). */
    public List<EditCase> sequentialSuite() {
        return suite(world.spec().sequentialEdits(), SEQUENTIAL, true, "sequential-" + world.spec().sequentialEdits());
    }

    private List<EditCase> suite(int size, long salt, boolean neighboursAvoidSuite, String name) {
        SplittableRandom rnd = Seeds.stream(world.spec().seed() + salt, Seeds.SUITES);
        List<Fact> chosen = choose(size, rnd);
        Set<String> edited = new HashSet<>();
        for (Fact f : chosen) {
            edited.add(f.subject());
        }
        List<EditCase> cases = new ArrayList<>();
        for (Fact f : chosen) {
            Set<String> avoid = neighboursAvoidSuite ? edited : Set.of(f.subject());
            cases.add(toCase(f, rnd, avoid, name));
        }
        return List.copyOf(cases);
    }

    /** Facts of distinct subjects: the first-token share from first-token facts, the rest from the others. */
    private List<Fact> choose(int size, SplittableRandom rnd) {
        List<Fact> firstToken = new ArrayList<>();
        List<Fact> others = new ArrayList<>();
        for (Fact f : world.facts()) {
            (isFirstToken(f) ? firstToken : others).add(f);
        }
        Seeds.shuffle(firstToken, rnd);
        Seeds.shuffle(others, rnd);
        int wantFirst = (int) Math.round(size * world.spec().firstTokenCaseShare());
        Set<String> subjects = new HashSet<>();
        List<Fact> chosen = new ArrayList<>();
        take(firstToken, wantFirst, subjects, chosen);
        take(others, size, subjects, chosen);
        take(firstToken, size, subjects, chosen);
        if (chosen.size() < size) {
            throw new IllegalStateException("only " + chosen.size() + " distinct subjects available for " + size + " cases");
        }
        chosen.sort(java.util.Comparator.comparingInt(Fact::id));
        return chosen;
    }

    private static void take(List<Fact> pool, int limit, Set<String> subjects, List<Fact> chosen) {
        for (Fact f : pool) {
            if (chosen.size() >= limit) {
                return;
            }
            if (subjects.add(f.subject())) {
                chosen.add(f);
            }
        }
    }

    private EditCase toCase(Fact f, SplittableRandom rnd, Set<String> avoidSubjects, String suiteName) {
        Relation r = world.relation(f.relation());
        List<String> counterfactuals = r.objects().stream().filter(o -> !o.equals(f.object())).toList();
        String targetNew = Seeds.pick(counterfactuals, rnd);

        List<String> paraphrases = new ArrayList<>();
        paraphrases.add(f.heldOutPrompt());
        List<String> others = new ArrayList<>(f.trainingTemplates());
        others.remove(f.editTemplate());
        Seeds.shuffle(others, rnd);
        for (String t : others.subList(0, Math.min(2, others.size()))) {
            paraphrases.add(f.prompt(t));
        }

        Set<String> tags = new LinkedHashSet<>();
        tags.add(r.id());
        if (isFirstToken(f)) {
            tags.add(EditCase.FIRST_TOKEN_TAG);
        }
        return new EditCase(String.valueOf(f.id()), f.editPrompt(), f.subject(), targetNew, f.object(),
                paraphrases, neighbours(f, 3 + rnd.nextInt(3), rnd, avoidSubjects), r.id(), tags, null,
                CaseSource.generated(suiteName));
    }

    /** Facts of the same relation about other subjects, those sharing the true object first. */
    private List<NeighbourPrompt> neighbours(Fact f, int count, SplittableRandom rnd, Set<String> avoid) {
        List<Fact> same = new ArrayList<>();
        List<Fact> other = new ArrayList<>();
        for (Fact g : world.facts()) {
            if (g.relation().equals(f.relation()) && !avoid.contains(g.subject()) && !g.subject().equals(f.subject())) {
                (g.object().equals(f.object()) ? same : other).add(g);
            }
        }
        Seeds.shuffle(same, rnd);
        Seeds.shuffle(other, rnd);
        same.addAll(other);
        List<NeighbourPrompt> out = new ArrayList<>();
        for (Fact g : same.subList(0, Math.min(count, same.size()))) {
            out.add(new NeighbourPrompt(g.editPrompt(), g.object()));
        }
        return out;
    }
}
