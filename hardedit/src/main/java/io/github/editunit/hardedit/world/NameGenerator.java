package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Pronounceable, unique subject names ("Velmora", "Tarin Oskolde", "The Brisk Lanterns"). No name is a
 * substring of another (case-insensitively), and no name occurs inside the reserved text (templates,
 * objects, background vocabulary), so the subject of a prompt can be located unambiguously.
 */
final class NameGenerator {

    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
            "br", "dr", "kr", "tr", "st", "sk", "th", "sh", "gr", "vr", "h", "j"};
    /** Inside a word only single consonants, so clusters stay at most two consonants long. */
    private static final String[] SIMPLE_ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v",
            "z"};
    private static final String[] SIMPLE_CODAS = {"n", "r", "l", "s"};
    private static final String[] NUCLEI = {"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou"};
    private static final String[] CODAS = {"", "", "", "", "n", "r", "l", "s", "m", "k", "nd", "rn", "st", "x"};
    private static final String[] PLACE_ENDINGS = {"ora", "ia", "heim", "vale", "mar", "grad", "dor", "wick", "ton"};
    private static final String[] COMPANY_SUFFIXES = {"Industries", "Systems", "Motors", "Labs", "Group", "Works",
            "Holdings", "Dynamics"};
    private static final String[] PRODUCT_MODELS = {"Pro", "Max", "Air", "Nova", "Prime", "Lite", "Ultra", "Zen"};
    private static final String[] BAND_ADJECTIVES = {"Brisk", "Velvet", "Hollow", "Amber", "Crimson", "Electric",
            "Wandering", "Broken", "Golden", "Midnight", "Painted", "Restless", "Frozen", "Burning", "Lucky"};
    private static final String[] BAND_NOUNS = {"Lanterns", "Ravens", "Engines", "Wolves", "Mirrors", "Sparrows",
            "Pilots", "Comets", "Foxes", "Giants", "Harbors", "Saints", "Thieves", "Echoes", "Tigers"};
    private static final String[] TITLE_NOUNS = {"Shadow", "Promise", "Voyage", "Kingdom", "Garden", "Secret",
            "Winter", "Crown", "Tide", "Empire", "Storm", "Orchid", "Horizon", "Legacy", "Compass"};
    private static final String[] TITLE_ADJECTIVES = {"Silent", "Last", "Hidden", "Distant", "Scarlet", "Endless",
            "Forgotten", "Northern", "Second", "Burning", "Glass", "Iron", "Lonely", "Final", "Secret"};

    private final SplittableRandom rnd;
    private final String reservedText;
    private final List<String> taken = new ArrayList<>();

    NameGenerator(SplittableRandom rnd, List<String> reservedWords) {
        this.rnd = rnd;
        this.reservedText = String.join("|", reservedWords).toLowerCase(Locale.ROOT);
    }

    /** A new unique name for a subject. */
    String next(SubjectKind kind, boolean singleWord) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            String candidate = singleWord ? word(2) : compose(kind);
            if (accept(candidate)) {
                taken.add(candidate.toLowerCase(Locale.ROOT));
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find a fresh name for " + kind);
    }

    private boolean accept(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (name.length() < 5 || reservedText.contains(lower)) {
            return false;
        }
        for (String t : taken) {
            if (t.contains(lower) || lower.contains(t)) {
                return false;
            }
        }
        return true;
    }

    private String compose(SubjectKind kind) {
        switch (kind) {
            case PERSON:
            case FOOTBALL_PLAYER:
            case ATHLETE:
            case MUSICIAN:
                return word(2) + " " + word(2 + rnd.nextInt(2));
            case BAND:
                return rnd.nextInt(3) == 0 ? word(2) + " " + pick(BAND_NOUNS)
                        : "The " + pick(BAND_ADJECTIVES) + " " + pick(BAND_NOUNS);
            case COMPANY:
                return word(2) + " " + pick(COMPANY_SUFFIXES);
            case PRODUCT:
                return word(2) + " " + pick(PRODUCT_MODELS);
            case COUNTRY:
                return word(1 + rnd.nextInt(2)) + pick(PLACE_ENDINGS);
            case CITY:
                return rnd.nextInt(4) == 0 ? "Port " + word(2) : word(2) + pick(PLACE_ENDINGS);
            case FILM:
            case BOOK:
            case TV_SHOW:
                switch (rnd.nextInt(3)) {
                    case 0:
                        return "The " + pick(TITLE_ADJECTIVES) + " " + pick(TITLE_NOUNS);
                    case 1:
                        return pick(TITLE_NOUNS) + " of " + word(2);
                    default:
                        return word(2) + " " + pick(TITLE_NOUNS);
                }
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    /** A capitalised pronounceable word of {@code syllables} syllables. */
    private String word(int syllables) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            sb.append(i == 0 ? pick(ONSETS) : pick(SIMPLE_ONSETS)).append(pick(NUCLEI));
            if (i == syllables - 1) {
                sb.append(pick(CODAS));
            } else if (rnd.nextInt(4) == 0) {
                sb.append(pick(SIMPLE_CODAS));
            }
        }
        return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
    }

    private String pick(String[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
