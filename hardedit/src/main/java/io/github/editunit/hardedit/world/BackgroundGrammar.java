package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny English grammar for filler sentences that carry no facts, e.g.
 * "The weather in the valley was mild that year." or "A patient baker carried the basket across the meadow."
 */
final class BackgroundGrammar {

    private static final List<String> DETERMINERS = List.of("the", "a", "every", "one", "that");
    private static final List<String> ADJECTIVES = List.of("quiet", "old", "young", "small", "bright", "tired",
            "busy", "careful", "distant", "gentle", "heavy", "narrow", "patient", "proud", "rusty", "sleepy",
            "steady", "warm", "wild", "clever");
    private static final List<String> AGENTS = List.of("farmer", "teacher", "sailor", "baker", "shepherd",
            "gardener", "miller", "traveller", "neighbour", "child", "merchant", "fisherman", "carpenter",
            "nurse", "student");
    private static final List<String> THINGS = List.of("basket", "letter", "ladder", "bucket", "lamp", "map",
            "coat", "box", "key", "rope", "bell", "chair", "kettle", "wagon", "blanket");
    private static final List<String> VERBS = List.of("carried", "found", "opened", "repaired", "watched",
            "cleaned", "followed", "lifted", "described", "painted", "borrowed", "dropped");
    private static final List<String> PLACES = List.of("valley", "village", "market", "forest", "station",
            "kitchen", "hillside", "library", "meadow", "orchard", "courtyard", "bakery");
    private static final List<String> PREPOSITIONS = List.of("across", "into", "behind", "near", "through",
            "around");
    private static final List<String> ELEMENTS = List.of("weather", "air", "road", "light", "water", "soil",
            "wind", "harvest");
    private static final List<String> QUALITIES = List.of("mild", "cold", "dry", "calm", "strange", "pleasant",
            "damp", "clear");
    private static final List<String> TIMES = List.of("that year", "in the morning", "after the storm",
            "before dinner", "every winter", "at dawn", "all week", "in the evening");
    private static final List<String> OPENERS = List.of("Later", "Meanwhile", "Afterwards", "Once", "Suddenly",
            "Eventually");

    /** One random sentence, capitalised and ending with a full stop. */
    String sentence(SplittableRandom rnd) {
        String s;
        switch (rnd.nextInt(4)) {
            case 0:
                s = "the " + pick(ELEMENTS, rnd) + " in the " + pick(PLACES, rnd) + " was " + pick(QUALITIES, rnd)
                        + " " + pick(TIMES, rnd);
                break;
            case 1:
                s = pick(DETERMINERS, rnd) + " " + pick(ADJECTIVES, rnd) + " " + pick(AGENTS, rnd) + " "
                        + pick(VERBS, rnd) + " the " + pick(THINGS, rnd) + " " + pick(PREPOSITIONS, rnd) + " the "
                        + pick(PLACES, rnd);
                break;
            case 2:
                s = pick(OPENERS, rnd) + ", " + pick(DETERMINERS, rnd) + " " + pick(AGENTS, rnd) + " "
                        + pick(VERBS, rnd) + " " + pick(DETERMINERS, rnd) + " " + pick(ADJECTIVES, rnd) + " "
                        + pick(THINGS, rnd);
                break;
            default:
                s = "nobody in the " + pick(PLACES, rnd) + " remembered the " + pick(ADJECTIVES, rnd) + " "
                        + pick(THINGS, rnd) + " " + pick(TIMES, rnd);
                break;
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    /** Every word the grammar can produce, lower-case and capitalised (names must avoid them). */
    static List<String> vocabulary() {
        List<String> words = new ArrayList<>();
        for (List<String> list : List.of(DETERMINERS, ADJECTIVES, AGENTS, THINGS, VERBS, PLACES, PREPOSITIONS,
                ELEMENTS, QUALITIES, TIMES, OPENERS, List.of("nobody in the", "remembered", "was"))) {
            for (String w : list) {
                words.add(w);
                words.add(Character.toUpperCase(w.charAt(0)) + w.substring(1));
            }
        }
        return words;
    }

    private static String pick(List<String> list, SplittableRandom rnd) {
        return list.get(rnd.nextInt(list.size()));
    }
}
