package io.github.editunit.framework.metrics;

import ai.djl.Device;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.tokenizer.BpeTrainer;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import io.github.editunit.hardedit.cases.CaseSource;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** A tiny trained tokenizer and tiny random GPT-2 models shared by the metric tests. */
final class MetricsFixture {

    static final String[] SUBJECTS = {"Paris", "Danielle Darrieux", "Toko Yasuda", "Autonomous University of Madrid",
        "Apple A5", "Ferrari", "Thomas Joannes Stieltjes", "Louvre", "Berlin", "Velmora"};
    static final String[] OBJECTS = {"France", "English", "guitar", "Spain", "Apple", "Italy", "Dutch",
        "French", "Germany", "piano", "Google", "Nintendo", "London", "Japan", "Rome"};
    static final String[] RELATIONS = {"is located in", "speaks the language", "plays the", "was created by",
        "is a product of", "was born in", "works in the city of"};

    private static Path tokenizerDir;
    private static TextTokenizer tokenizer;
    private static LanguageModel model;

    private MetricsFixture() {}

    static synchronized Path tokenizerDir() {
        if (tokenizerDir == null) {
            try {
                Path dir = Files.createTempDirectory("metrics-tok");
                List<String> corpus = new ArrayList<>();
                Random r = new Random(3);
                for (int i = 0; i < 1500; i++) {
                    corpus.add("The " + pick(r, SUBJECTS) + " " + pick(r, RELATIONS) + " " + pick(r, OBJECTS) + ". "
                            + pick(r, SUBJECTS) + ", " + pick(r, OBJECTS) + "!");
                }
                BpeTrainer.Result res = new BpeTrainer(320).train(corpus);
                TokenizerFiles.write(res.vocabulary(), dir, 1024);
                tokenizerDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizerDir;
    }

    static synchronized TextTokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = TextTokenizer.load(tokenizerDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    static ModelConfig config() {
        int vocab = tokenizer().vocabSize();
        return new ModelConfig("gpt2", vocab, 64, 32, 2, 4, 64, 1e-5, "gelu_new", vocab - 1);
    }

    /** The shared model: never modify it. */
    static synchronized LanguageModel model() {
        if (model == null) {
            model = freshModel(11);
        }
        return model;
    }

    /** A new model the caller may modify; it does not own the shared tokenizer (do not close it). */
    static LanguageModel freshModel(long seed) {
        return LanguageModel.random(config(), seed, tokenizer(), Device.cpu());
    }

    /** Frees a {@link #freshModel}'s weights; closing the model itself would close the shared tokenizer. */
    static void release(LanguageModel m) {
        m.parameters().close();
    }

    /** Sets every parameter of {@code m} to {@code value}. */
    static void fill(LanguageModel m, float value) {
        for (String name : m.parameters().names()) {
            float[] v = new float[Math.toIntExact(m.parameters().shape(name).size())];
            Arrays.fill(v, value);
            m.parameters().set(name, v);
        }
    }

    static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    static EditCase editCase(String id, String subject, String rel, String targetNew, String truth,
            List<String> paraphrases, List<NeighbourPrompt> neighbours) {
        return new EditCase(id, subject + " " + rel, subject, targetNew, truth, paraphrases, neighbours, null,
                null, null, CaseSource.generated("test"));
    }

    /** A few varied cases (multi-token objects, several paraphrases and neighbours). */
    static List<EditCase> cases() {
        return List.of(
                editCase("1", "Danielle Darrieux", "speaks the language", "English", "French",
                        List.of("The Louvre. Danielle Darrieux speaks the language", "Danielle Darrieux, plays the"),
                        List.of(new NeighbourPrompt("Paris is located in", "France"),
                                new NeighbourPrompt("Berlin is located in", "Germany"))),
                editCase("2", "Toko Yasuda", "plays the", "piano", "guitar",
                        List.of("Toko Yasuda, Japan! Toko Yasuda plays the"),
                        List.of(new NeighbourPrompt("Ferrari was created by", "Italy"))),
                editCase("3", "Autonomous University of Madrid", "is located in", "Sweden", "Spain",
                        List.of(), List.of(new NeighbourPrompt("Louvre is located in", "Paris"),
                                new NeighbourPrompt("The Velmora works in the city of", "Rome"),
                                new NeighbourPrompt("Apple A5 is a product of", "Apple"))),
                editCase("4", "Velmora", "was born in", "Nintendo", "Thomas Joannes Stieltjes", List.of(), List.of()));
    }

    /** Hand computation from {@code tokenLogProbs}: log P of each target token after the prompt. */
    static float[] handLogProbs(LanguageModel m, String prompt, String target) {
        int[] p = m.tokenizer().encode(prompt);
        int[] t = m.tokenizer().encode(" " + target);
        int[] seq = concat(p, t);
        float[] lp = m.tokenLogProbs(List.of(seq)).get(0); // lp[i] = log P(seq[i+1] | seq[..i])
        return Arrays.copyOfRange(lp, p.length - 1, p.length - 1 + t.length);
    }

    static double handNll(LanguageModel m, String prompt, String target) {
        float[] lp = handLogProbs(m, prompt, target);
        double s = 0;
        for (float v : lp) {
            s += v;
        }
        return -s / lp.length;
    }

    /** Argmax of the next-token distribution after each prefix {@code prompt + target[..j]}. */
    static int[] handArgmax(LanguageModel m, String prompt, String target) {
        int[] p = m.tokenizer().encode(prompt);
        int[] t = m.tokenizer().encode(" " + target);
        int[] out = new int[t.length];
        for (int j = 0; j < t.length; j++) {
            float[] lp = m.nextTokenLogProbs(concat(p, Arrays.copyOf(t, j)));
            int best = 0;
            for (int k = 1; k < lp.length; k++) {
                if (lp[k] > lp[best]) {
                    best = k;
                }
            }
            out[j] = best;
        }
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] s = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }
}
