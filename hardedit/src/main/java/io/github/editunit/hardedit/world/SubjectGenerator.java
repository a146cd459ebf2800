package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Creates the subjects: kinds spread by fixed weights, a share of single-word first-token candidates. */
final class SubjectGenerator {

    /** Relative share of each kind (per thousand). */
    private static final Map<SubjectKind, Integer> WEIGHTS = new EnumMap<>(Map.ofEntries(
            Map.entry(SubjectKind.PERSON, 220), Map.entry(SubjectKind.FOOTBALL_PLAYER, 100),
            Map.entry(SubjectKind.ATHLETE, 80), Map.entry(SubjectKind.MUSICIAN, 100),
            Map.entry(SubjectKind.BAND, 70), Map.entry(SubjectKind.COMPANY, 90),
            Map.entry(SubjectKind.PRODUCT, 80), Map.entry(SubjectKind.COUNTRY, 50),
            Map.entry(SubjectKind.CITY, 100), Map.entry(SubjectKind.FILM, 45),
            Map.entry(SubjectKind.BOOK, 40), Map.entry(SubjectKind.TV_SHOW, 25)));

    private SubjectGenerator() {
    }

    static List<Subject> generate(WorldSpec spec) {
        SplittableRandom rnd = Seeds.stream(spec.seed(), Seeds.NAMES);
        NameGenerator names = new NameGenerator(rnd.split(), reservedWords());
        List<SubjectKind> slots = kindSlots(spec.subjectCount());
        int candidates = (int) Math.round(spec.firstTokenShare() * slots.size());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            order.add(i);
        }
        Seeds.shuffle(order, rnd);
        boolean[] candidate = new boolean[slots.size()];
        for (int i = 0; i < candidates; i++) {
            candidate[order.get(i)] = true;
        }
        List<Subject> subjects = new ArrayList<>();
        // candidates first so that the short single words are claimed before longer names are checked against them
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < slots.size(); i++) {
                if (candidate[i] == (pass == 0)) {
                    subjects.add(new Subject(names.next(slots.get(i), candidate[i]), slots.get(i), candidate[i]));
                }
            }
        }
        return subjects;
    }

    /** Kinds for {@code n} subjects by largest remainder of the weights, in enum order. */
    private static List<SubjectKind> kindSlots(int n) {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        Map<SubjectKind, Integer> counts = new EnumMap<>(SubjectKind.class);
        int assigned = 0;
        for (SubjectKind k : SubjectKind.values()) {
            int c = Math.max(1, WEIGHTS.get(k) * n / total);
            counts.put(k, c);
            assigned += c;
        }
        SubjectKind[] kinds = SubjectKind.values();
        for (int i = 0; assigned < n; i = (i + 1) % kinds.length) {
            counts.merge(kinds[i], 1, Integer::sum);
            assigned++;
        }
        for (int i = kinds.length - 1; assigned > n; i = (i + kinds.length - 1) % kinds.length) {
            if (counts.get(kinds[i]) > 1) {
                counts.merge(kinds[i], -1, Integer::sum);
                assigned--;
            }
        }
        List<SubjectKind> slots = new ArrayList<>();
        counts.forEach((k, c) -> {
            for (int i = 0; i < c; i++) {
                slots.add(k);
            }
        });
        return slots;
    }

    /** Text a subject name must not occur in: templates, objects and background vocabulary. */
    private static List<String> reservedWords() {
        List<String> words = new ArrayList<>(BackgroundGrammar.vocabulary());
        for (Relation r : RelationCatalog.relations()) {
            words.addAll(r.templates());
            words.addAll(r.objects());
        }
        return words;
    }
}
