package io.github.editunit.framework.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic synthetic English-like corpus for tokenizer tests. */
final class SyntheticCorpus {

    private static final String[] SUBJECTS = {"The cat", "A farmer", "My neighbour", "Every child", "The old king",
        "Our teacher", "Some people", "The river", "Her brother", "This machine"};
    private static final String[] VERBS = {"walked to", "looked at", "talked about", "remembered", "painted",
        "visited", "carried", "found", "described", "ignored"};
    private static final String[] OBJECTS = {"the market", "a small house", "the mountains", "three apples",
        "the library", "an ancient map", "the blue door", "its shadow", "the harbour", "a quiet garden"};
    private static final String[] TAILS = {".", "!", "?", " yesterday.", " in 1984.", ", again.", " (twice).",
        " at 7:30 pm.", " — or so they say.", "; nobody knew why."};

    private SyntheticCorpus() {}

    static List<String> sentences(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            sb.append(pick(r, SUBJECTS)).append(' ').append(pick(r, VERBS)).append(' ').append(pick(r, OBJECTS));
            if (r.nextInt(4) == 0) {
                sb.append(" and ").append(r.nextInt(1000)).append(" more");
            }
            sb.append(pick(r, TAILS));
            if (r.nextInt(10) == 0) {
                sb.append("\n\n");
            } else if (r.nextInt(10) == 0) {
                sb.append("  ");
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Roughly {@code targetChars} of text in sentence-sized strings. */
    static List<String> ofSize(long targetChars, long seed) {
        List<String> out = new ArrayList<>();
        long chars = 0;
        long s = seed;
        while (chars < targetChars) {
            for (String t : sentences(1000, s++)) {
                out.add(t);
                chars += t.length();
            }
        }
        return out;
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
