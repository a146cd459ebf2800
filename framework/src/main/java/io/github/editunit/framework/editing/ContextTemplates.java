package io.github.editunit.framework.editing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * ROME's "random prefixes": templates {@code "<generated text>. {}"} sampled from the unedited
 * model with top-k 5, preceded by the bare {@code "{}"}. Generation is seeded, and the list is
 * persisted (keyed by model hash) so edits are reproducible across runs.
 *
 * @param templates {@code "{}"} first, then the prefixed templates
 * @param modelHash weights hash of the model that generated them
 * @param seed sampling seed
 * @param spec how they were generated, e.g. {@code "rome:5x10,10x10"}
 */
public record ContextTemplates(List<String> templates, String modelHash, long seed, String spec) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The EasyEdit/[SEED] and MEMIT seed words. */
    public static final List<String> SEED_WORDS = List.of("The", "Therefore", "Because", "I", "You");

    public ContextTemplates {
        templates = List.copyOf(templates);
        if (templates.isEmpty() || !templates.get(0).equals("{}")) {
            throw new IllegalArgumentException("context templates must start with \"{}\"");
        }
    }

    /** Only the bare {@code "{}"} template (no prefixes). */
    public static ContextTemplates bare() {
        return new ContextTemplates(List.of("{}"), "", 0, "bare");
    }

    /**
     * ROME's original recipe: for each {@code [length, count]} pair, {@code count} samples of
     * {@code length} tokens including the end-of-text seed token (so {@code length − 1}
     * generated), top-k 5.
     */
    public static ContextTemplates generateFromEndOfText(LanguageModel model, int[][] lengthCounts, long seed) {
        List<String> out = new ArrayList<>();
        out.add("{}");
        Generator gen = new Generator(model);
        int eos = model.tokenizer().eosId();
        long s = seed;
        for (int[] lc : lengthCounts) {
            for (int i = 0; i < lc[1]; i++) {
                int[] ids = gen.generateIds(new int[] {eos}, new Generator.Options(lc[0] - 1, 5, s++, false));
                out.add(clean(model.tokenizer().decode(ids)) + ". {}");
            }
        }
        return new ContextTemplates(out, model.parameters().contentHash(), seed, spec("eos", lengthCounts));
    }

    /** The spec string of a recipe, e.g. {@code eos:5x10,10x10}. */
    public static String spec(String kind, int[][] lengthCounts) {
        StringBuilder spec = new StringBuilder(kind).append(':');
        for (int[] lc : lengthCounts) {
            spec.append(lc[0]).append('x').append(lc[1]).append(',');
        }
        return spec.toString();
    }

    /**
     * The EasyEdit/[SEED] and MEMIT recipe: continuations of the seed words "The", "Therefore",
     * "Because", "I", "You"; {@code perWord} samples of {@code length} tokens each.
     */
    public static ContextTemplates generateFromSeedWords(LanguageModel model, int[][] lengthPerWord, long seed) {
        List<String> out = new ArrayList<>();
        out.add("{}");
        Generator gen = new Generator(model);
        long s = seed;
        for (int[] lc : lengthPerWord) {
            for (String word : SEED_WORDS) {
                int[] prompt = model.tokenizer().encode(word);
                for (int i = 0; i < lc[1]; i++) {
                    int[] ids = gen.generateIds(prompt, new Generator.Options(lc[0] - prompt.length, 5, s++, false));
                    out.add(clean(word + model.tokenizer().decode(ids)) + ". {}");
                }
            }
        }
        return new ContextTemplates(out, model.parameters().contentHash(), seed, spec("words", lengthPerWord));
    }

    /** NFKD, "\n\n" → " ", no end-of-text marker, no braces. */
    static String clean(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKD)
                .replace("<|endoftext|>", "")
                .replace("\n\n", " ")
                .replace("{", " ")
                .replace("}", " ");
        return t.stripTrailing();
    }

    /** The prefixed templates only (without {@code "{}"}). */
    public List<String> prefixed() {
        return templates.subList(1, templates.size());
    }

    public int size() {
        return templates.size();
    }

    public void write(Path file) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("modelHash", modelHash);
        n.put("seed", seed);
        n.put("spec", spec);
        n.putPOJO("templates", templates);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "templates", ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ContextTemplates read(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        if (n == null || !n.has("templates") || !n.get("templates").isArray()) {
            throw new IOException(file + ": field \"templates\" is missing or not an array");
        }
        List<String> t = new ArrayList<>();
        n.get("templates").forEach(x -> t.add(x.asText()));
        return new ContextTemplates(t, n.path("modelHash").asText(""), n.path("seed").asLong(), n.path("spec").asText(""));
    }

    /**
     * Reads the persisted templates for this model and recipe from {@code file}, or generates and
     * persists them when the file is missing or belongs to other weights.
     */
    public static ContextTemplates loadOrGenerate(Path file, LanguageModel model, String spec, long seed,
            java.util.function.Supplier<ContextTemplates> generate) throws IOException {
        if (file != null && Files.isRegularFile(file)) {
            ContextTemplates t = read(file);
            if (t.modelHash().equals(model.parameters().contentHash()) && t.spec().equals(spec) && t.seed() == seed) {
                return t;
            }
        }
        ContextTemplates t = generate.get();
        if (file != null) {
            t.write(file);
        }
        return t;
    }
}
