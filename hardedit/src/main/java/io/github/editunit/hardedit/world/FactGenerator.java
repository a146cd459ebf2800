package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Assigns facts to subjects: 2-3 relations per subject (as the spec says), a random true object, an edit
 * template and a held-out template. First-token candidates get an edit template that opens with the
 * subject; other subjects get one that does not. A held-out template is never chosen when its filled
 * prompt would occur inside another statement about the same subject.
 */
final class FactGenerator {

    private FactGenerator() {
    }

    static List<Fact> generate(WorldSpec spec, List<Subject> subjects) {
        SplittableRandom rnd = Seeds.stream(spec.seed(), Seeds.FACTS);
        List<Fact> facts = new ArrayList<>();
        for (Subject s : subjects) {
            List<Relation> available = new ArrayList<>(RelationCatalog.relationsFor(s.kind()));
            int span = spec.maxRelationsPerSubject() - spec.minRelationsPerSubject() + 1;
            int count = Math.min(available.size(), spec.minRelationsPerSubject() + rnd.nextInt(span));
            Seeds.shuffle(available, rnd);
            List<Relation> chosen = available.subList(0, count);
            List<String> objects = new ArrayList<>();
            for (Relation r : chosen) {
                objects.add(Seeds.pick(r.objects(), rnd));
            }
            for (int i = 0; i < chosen.size(); i++) {
                Relation r = chosen.get(i);
                String edit = chooseEditTemplate(r, s.firstTokenCandidate(), rnd);
                String heldOut = chooseHeldOut(s, r, edit, chosen, objects, rnd);
                facts.add(new Fact(facts.size(), s.name(), r.id(), objects.get(i), r.templates(), edit, heldOut));
            }
        }
        return facts;
    }

    private static String chooseEditTemplate(Relation r, boolean subjectFirst, SplittableRandom rnd) {
        List<String> options = r.templates().stream().filter(t -> t.startsWith("{}") == subjectFirst).toList();
        return Seeds.pick(options, rnd);
    }

    private static String chooseHeldOut(Subject s, Relation r, String edit, List<Relation> relations,
                                        List<String> objects, SplittableRandom rnd) {
        List<String> options = new ArrayList<>();
        for (String t : r.templates()) {
            if (!t.equals(edit) && !occursInOtherStatements(Relation.fill(t, s.name()), t, s, relations, objects)) {
                options.add(t);
            }
        }
        if (options.isEmpty()) {
            throw new IllegalStateException("no usable held-out template for " + s.name() + " / " + r.id());
        }
        return Seeds.pick(options, rnd);
    }

    /** Whether {@code prompt} is inside any statement about the subject other than with {@code template} itself. */
    private static boolean occursInOtherStatements(String prompt, String template, Subject s,
                                                   List<Relation> relations, List<String> objects) {
        for (int i = 0; i < relations.size(); i++) {
            for (String t : relations.get(i).templates()) {
                if (t.equals(template)) {
                    continue;
                }
                if ((Relation.fill(t, s.name()) + " " + objects.get(i) + ".").contains(prompt)) {
                    return true;
                }
            }
        }
        return false;
    }
}
