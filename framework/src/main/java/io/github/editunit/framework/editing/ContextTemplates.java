package io.github.editunit.framework.editing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.generation.Generator;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.storage.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * ROME's "random prefixes": templates {@code "<generated text>. {}"} sampled from the unedited
 * model with top-k 5, preceded by the bare {@code "{}"}. Generation is seeded (same seed and
 * weights, same templates), and the list is persisted (keyed by model hash) with a SHA-256
 * checksum so edits are reproducible across runs; a corrupt file is regenerated.
 *
 * @param templates {@code "{}"} first, then the prefixed templates
 * @param modelHash weights hash of the model that generated them
 * @param seed sampling seed
 * @param spec how they were generated, e.g. {@code "rome:5x10,10x10"}
 */
public record ContextTemplates(List<String> templates, String modelHash, long seed, String spec) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code "format"} of a persisted templates file. */
    static final String FORMAT = "editunit-context-templates";
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
     * generated), top-k 5. A tokenizer that adds a BOS seeds with its BOS instead (the start of a
     * document for such a model, {@link io.github.editunit.framework.model.TokenCodec#startOfText()});
     * the seed is not part of the text, as ROME removes {@code <|endoftext|>}.
     */
    public static ContextTemplates generateFromEndOfText(LanguageModel model, int[][] lengthCounts, long seed) {
        List<String> out = new ArrayList<>();
        out.add("{}");
        Generator gen = new Generator(model);
        int[] start = model.tokenizer().startOfText();
        long s = seed;
        for (int[] lc : lengthCounts) {
            for (int i = 0; i < lc[1]; i++) {
                int[] ids = gen.generateIds(start, new Generator.Options(lc[0] - 1, 5, s++, false));
                out.add(clean(withoutMarkers(model.tokenizer(), model.tokenizer().decode(ids))) + ". {}");
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
     * ROME's {@code context_template_length_params} ({@code [length, n_gen]} pairs) in the [SEED] /
     * EasyEdit seed-word recipe: {@code n_gen / 5} (integer division, as there) continuations of each
     * seed word per length, so {@code [[5, 10], [10, 10]]} gives {@code [[5, 2], [10, 2]]}: 20 prefixed
     * templates, as ROME's recipe. A pair with fewer than 5 samples would give none and is refused.
     */
    public static int[][] perSeedWord(int[][] lengthCounts) {
        int[][] out = new int[lengthCounts.length][];
        for (int i = 0; i < lengthCounts.length; i++) {
            int[] lc = lengthCounts[i];
            if (lc.length != 2 || lc[0] < 1 || lc[1] < SEED_WORDS.size()) {
                throw new IllegalArgumentException("context_template_length_params[" + i + "] = "
                        + java.util.Arrays.toString(lc) + ": the seed-words recipe takes [length ≥ 1, count ≥ "
                        + SEED_WORDS.size() + "] (count / " + SEED_WORDS.size() + " continuations of each seed word)");
            }
            out[i] = new int[] {lc[0], lc[1] / SEED_WORDS.size()};
        }
        return out;
    }

    /**
     * The EasyEdit/[SEED] and MEMIT recipe: continuations of the seed words "The", "Therefore",
     * "Because", "I", "You"; {@code perWord} samples of {@code length} tokens each, the word's tokens
     * included and a BOS (for tokenizers that add one) not counted, so the same number of tokens is
     * generated with and without a BOS.
     */
    public static ContextTemplates generateFromSeedWords(LanguageModel model, int[][] lengthPerWord, long seed) {
        List<String> out = new ArrayList<>();
        out.add("{}");
        Generator gen = new Generator(model);
        long s = seed;
        for (int[] lc : lengthPerWord) {
            for (String word : SEED_WORDS) {
                int[] prompt = model.tokenizer().encodeInput(word);
                int wordTokens = prompt.length - model.tokenizer().sequencePrefix().length;
                for (int i = 0; i < lc[1]; i++) {
                    int[] ids = gen.generateIds(prompt, new Generator.Options(lc[0] - wordTokens, 5, s++, false));
                    out.add(clean(withoutMarkers(model.tokenizer(),
                            word + Generator.continuation(model.tokenizer(), prompt, ids))) + ". {}");
                }
            }
        }
        return new ContextTemplates(out, model.parameters().contentHash(), seed, spec("words", lengthPerWord));
    }

    /**
     * Without the text of the tokenizer's BOS, if it adds one (a template is text and the BOS is put
     * before it again when it is encoded; ROME likewise removes its {@code <|endoftext|>} seed).
     */
    static String withoutMarkers(io.github.editunit.framework.model.TokenCodec tok, String text) {
        String bos = tok.bosToken();
        return bos == null || bos.isEmpty() ? text : text.replace(bos, "");
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

    /**
     * The checksum stored with the templates: SHA-256 (hex) of the compact JSON array
     * {@code [modelHash, seed, spec, template...]}.
     */
    public String checksum() {
        ArrayNode a = JSON.createArrayNode();
        a.add(modelHash).add(seed).add(spec);
        templates.forEach(a::add);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(a)));
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the templates with their {@link #checksum()} to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("modelHash", modelHash);
        n.put("seed", seed);
        n.put("spec", spec);
        n.putPOJO("templates", templates);
        n.put("sha256", checksum());
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    /**
     * Reads and validates a templates file: JSON object with {@code modelHash}, {@code seed},
     * {@code spec}, {@code templates} (strings, {@code "{}"} first, each holding {@code "{}"} once)
     * and a matching {@code sha256}.
     *
     * @throws IOException whose message starts with the file and says what is wrong
     */
    public static ContextTemplates read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Jackson's own location text says "Source: REDACTED"; name the file and give line and column instead
            String why = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;\\]]*; ", "[");
            throw new IOException(file + ": not valid JSON" + (e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()) + " (" + why + ")");
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new IOException(file + ": empty file");
        }
        if (!n.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        if (!n.path("modelHash").isTextual() || !n.path("spec").isTextual() || !n.path("seed").isIntegralNumber()) {
            throw new IOException(file + ": \"modelHash\", \"seed\" or \"spec\" is missing or of the wrong type");
        }
        JsonNode arr = n.get("templates");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new IOException(file + ": field \"templates\" is missing, empty or not an array");
        }
        List<String> t = new ArrayList<>();
        for (JsonNode x : arr) {
            if (!x.isTextual()) {
                throw new IOException(file + ": template " + t.size() + " is not a string");
            }
            String s = x.asText();
            int at = s.indexOf("{}");
            if (at < 0 || at != s.lastIndexOf("{}")) {
                throw new IOException(file + ": template " + t.size() + " does not contain \"{}\" exactly once");
            }
            t.add(s);
        }
        if (!t.get(0).equals("{}")) {
            throw new IOException(file + ": the first template is not the bare \"{}\"");
        }
        ContextTemplates read = new ContextTemplates(t, n.get("modelHash").asText(), n.get("seed").asLong(),
                n.get("spec").asText());
        if (!n.path("sha256").isTextual()) {
            throw new IOException(file + ": no \"sha256\" checksum (written by an older version)");
        }
        if (!n.get("sha256").asText().equals(read.checksum())) {
            throw new IOException(file + ": SHA-256 checksum mismatch (the file is corrupt)");
        }
        return read;
    }

    /**
     * Reads the persisted templates for this model and recipe from {@code file}, or generates and
     * persists them when the file is missing, corrupt or belongs to other weights. A corrupt file is
     * reported on {@code log} with its path and the problem, deleted and regenerated with the same
     * seed (generation is deterministic given the seed and the weights); it is never used. When the
     * file cannot be written the generated templates are still returned.
     */
    public static ContextTemplates loadOrGenerate(Path file, LanguageModel model, String spec, long seed,
            Supplier<ContextTemplates> generate, PrintStream log) {
        if (file != null && Files.exists(file)) {
            try {
                ContextTemplates t = read(file);
                if (t.modelHash().equals(model.parameters().contentHash()) && t.spec().equals(spec)
                        && t.seed() == seed) {
                    return t;
                }
                warn(log, "replacing context templates " + file + ": they were made for another model, recipe or "
                        + "seed (" + t.spec() + " seed " + t.seed() + ")");
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() != null && e.getMessage().startsWith(file + ": ") ? e.getMessage()
                        : file + ": " + e;
                warn(log, "discarding context templates " + why + "; regenerating with seed " + seed);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException d) {
                    warn(log, "could not delete " + file + ": " + d.getMessage());
                }
            }
        }
        ContextTemplates t = generate.get();
        if (file != null) {
            try {
                t.write(file);
            } catch (IOException e) {
                warn(log, "could not write " + file + " (templates are used but not cached): " + e.getMessage());
            }
        }
        return t;
    }

    private static void warn(PrintStream log, String message) {
        if (log != null) {
            log.println("[templates] " + message);
        }
    }
}
