package io.github.editunit.framework.bench;

import io.github.editunit.framework.perplexity.SentenceCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Sentences for the forward benchmark: the shared ME-PPL 50 file when present, else generated. */
public final class BenchCorpus {

    /** Where the ME-PPL 50 file lives, relative to the repository root. */
    public static final String ME_PPL_50 = "../shared/data/me-ppl/ME-PPL_50.json";

    private static final String[] SUBJECTS = {"The river", "A small town", "The old museum", "Her brother",
        "The committee", "This species", "The railway line", "The first album", "Its capital", "The team"};
    private static final String[] VERBS = {"was founded in", "lies near", "is known for", "moved to",
        "was replaced by", "competed against", "was named after", "borders", "belongs to", "opened in"};
    private static final String[] OBJECTS = {"the northern province", "a French composer", "the late 1890s",
        "the coastal mountains", "its annual festival", "a regional airline", "the national league",
        "an ancient temple", "the western border", "a famous painter"};

    private BenchCorpus() {}

    /** The ME-PPL 50 file next to the repository that contains {@code start} (or a parent), if any. */
    public static Optional<Path> defaultFile(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("framework"))) {
                Path f = dir.resolve(ME_PPL_50).normalize();
                return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code file}, else the default file, else {@code n} generated sentences; first {@code n}. */
    public static SentenceCorpus load(Path file, int n) throws IOException {
        Optional<Path> f = file != null ? Optional.of(file) : defaultFile(Path.of(""));
        return f.isPresent() ? SentenceCorpus.read(f.get()).limit(n) : generated(n, 42);
    }

    /** {@code n} deterministic encyclopedic-style sentences of 8 to 25 words. */
    public static SentenceCorpus generated(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int clauses = 1 + r.nextInt(3);
            for (int c = 0; c < clauses; c++) {
                sb.append(c == 0 ? " " : ", and ")
                        .append(c == 0 ? pick(r, SUBJECTS) : pick(r, SUBJECTS).toLowerCase(java.util.Locale.ROOT))
                        .append(' ').append(pick(r, VERBS)).append(' ').append(pick(r, OBJECTS));
            }
            out.add(sb.append('.').toString());
        }
        return new SentenceCorpus("generated", out);
    }

    private static String pick(SplittableRandom r, String[] words) {
        return words[r.nextInt(words.length)];
    }
}
