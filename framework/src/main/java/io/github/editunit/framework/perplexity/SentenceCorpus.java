package io.github.editunit.framework.perplexity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentences to measure perplexity on, read from the ME-PPL JSON format (an array of
 * {@code {"Corpus": ..., "Text": ...}}) or from plain text with one sentence per line.
 *
 * @param name where the sentences came from
 * @param sentences the texts, exactly as stored (ME-PPL texts keep their leading space)
 */
public record SentenceCorpus(String name, List<String> sentences) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SentenceCorpus {
        sentences = List.copyOf(sentences);
    }

    /** Reads either format: {@code .json} files as ME-PPL, anything else as lines. */
    public static SentenceCorpus read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": perplexity corpus not found");
        }
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".json") ? readMePpl(file) : readLines(file);
    }

    /** Reads the ME-PPL JSON format; errors name the file, the item and the field. */
    public static SentenceCorpus readMePpl(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": expected a JSON array of {\"Corpus\": ..., \"Text\": ...} items");
        }
        List<String> out = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            JsonNode text = item == null ? null : item.get("Text");
            if (text == null || !text.isTextual()) {
                throw new IOException(file + ": item #" + i + ": field \"Text\" is missing or not a string");
            }
            if (!text.asText().isBlank()) {
                out.add(text.asText());
            }
        }
        return new SentenceCorpus(file.getFileName().toString(), out);
    }

    /** Reads one sentence per non-blank line (UTF-8). */
    public static SentenceCorpus readLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return new SentenceCorpus(file.getFileName().toString(), out);
    }

    /** The first {@code n} sentences (all when {@code n <= 0}). */
    public SentenceCorpus limit(int n) {
        return n <= 0 || n >= sentences.size() ? this : new SentenceCorpus(name, sentences.subList(0, n));
    }

    public int size() {
        return sentences.size();
    }
}
