package io.github.editunit.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Extraction of the bundled model from the jar (as under {@code ~/.cache/editunit/models}): atomic,
 * with a manifest written last, checked on every use; a missing, truncated, emptied or garbled file
 * is named, the extraction discarded and extracted again.
 */
class BundledModelsExtractionTest {

    static final String VERSION = "test";
    /** SHA-256 of every file as it is in the jar (the classpath resources). */
    static final Map<String, String> ORIGINAL = new TreeMap<>();

    @TempDir
    Path base;

    ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void hashResources() throws IOException {
        for (String f : BundledModels.FILES) {
            try (InputStream in = BundledModels.class.getResourceAsStream("/io/github/editunit/models/editunit-tiny/"
                    + f)) {
                assertThat(in).as(f).isNotNull();
                var sha = ModelManifest.newSha256();
                sha.update(in.readAllBytes());
                ORIGINAL.put(f, java.util.HexFormat.of().formatHex(sha.digest()));
            }
        }
    }

    private Path extract() {
        return BundledModels.extracted(base, VERSION, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private void assertIntact(Path dir) throws IOException {
        for (Map.Entry<String, String> e : ORIGINAL.entrySet()) {
            assertThat(ModelManifest.sha256(dir.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(BundledModels.problem(dir)).isNull();
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no temporary or discarded directories")
                    .containsExactly("editunit-tiny-" + VERSION);
        }
    }

    @Test
    void extractionIsCompleteWithAManifestAndReusedSilently() throws IOException {
        Path dir = extract();
        assertThat(dir).isEqualTo(base.resolve("editunit-tiny-" + VERSION));
        assertIntact(dir);
        ModelManifest m = ModelManifest.read(dir).orElseThrow();
        assertThat(m.entries().keySet()).containsExactlyInAnyOrderElementsOf(BundledModels.FILES);
        long modified = Files.getLastModifiedTime(dir.resolve("model.safetensors")).toMillis();

        assertThat(extract()).isEqualTo(dir);
        // rules out re-extracting on every use (or warning about an intact extraction)
        assertThat(logText()).isEmpty();
        assertThat(Files.getLastModifiedTime(dir.resolve("model.safetensors")).toMillis()).isEqualTo(modified);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "model.safetensors, truncate",
        "model.safetensors, flip-byte", // same size: only the SHA-256 tells
        "config.json, empty",
        "tokenizer.json, flip-byte",
        "suites/single-edit.json, delete",
        "editunit-manifest.sha256, truncate",
    })
    void damagedExtractionIsNamedDiscardedAndExtractedAgain(String file, String damage) throws IOException {
        Path dir = extract();
        Path f = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(f);
        switch (damage) {
            case "truncate" -> Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
            case "flip-byte" -> {
                bytes[bytes.length / 2] ^= 0x20;
                Files.write(f, bytes);
            }
            case "empty" -> Files.write(f, new byte[0]);
            case "delete" -> Files.delete(f);
            default -> throw new IllegalArgumentException(damage);
        }
        assertThat(BundledModels.problem(dir)).startsWith(f.toString());

        assertThat(extract()).isEqualTo(dir);
        assertThat(logText()).contains("discarding the extracted bundled model").contains(f.toString())
                .contains("extracting it again");
        assertIntact(dir);
    }

    @Test
    void leftoversOfAnInterruptedExtractionAreRemoved() throws IOException {
        // what a killed process leaves: a partial directory with some files and no manifest
        Path partial = Files.createDirectories(base.resolve(".editunit-tiny-" + VERSION + ".partial-999999999-1"));
        Files.writeString(partial.resolve("config.json"), "{");
        Path dir = extract();
        assertThat(logText()).isEmpty();
        assertIntact(dir);
    }

    @Test
    void legacyExtractionWithOnlyACompletionMarkerIsReplaced() throws IOException {
        Path dir = Files.createDirectories(base.resolve("editunit-tiny-" + VERSION));
        Files.createFile(dir.resolve(".complete"));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThat(extract()).isEqualTo(dir);
        assertThat(logText()).contains(ModelManifest.FILE_NAME).contains("missing");
        assertIntact(dir);
        // the marker older versions look for is written too, so they use this extraction instead of failing
        assertThat(dir.resolve(".complete")).isRegularFile();
    }

    @Test
    void validExtractionWithoutTheOldMarkerGetsItBack() throws IOException {
        Path dir = extract();
        Files.delete(dir.resolve(".complete"));
        // without the marker a process of an older version sharing the cache would fail on this directory
        assertThat(extract()).isEqualTo(dir);
        assertThat(dir.resolve(".complete")).isRegularFile();
        assertThat(logText()).isEmpty();
    }

    @Test
    void intactLegacyExtractionIsAdoptedInPlace() throws IOException {
        Path dir = extract();
        Files.delete(dir.resolve(ModelManifest.FILE_NAME)); // as a version without manifests left it
        long modified = Files.getLastModifiedTime(dir.resolve("model.safetensors")).toMillis();
        assertThat(extract()).isEqualTo(dir);
        // rules out pulling an intact directory away from processes of older versions still using it
        assertThat(logText()).isEmpty();
        assertThat(Files.getLastModifiedTime(dir.resolve("model.safetensors")).toMillis()).isEqualTo(modified);
        assertThat(ModelManifest.read(dir)).isPresent();
        assertIntact(dir);
    }

    @Test
    void theLlamaIsExtractedBesideTheGpt2IntoItsOwnDirectory() throws IOException {
        Path gpt2 = extract();
        Path llama = BundledModels.extracted(BundledModels.TINY_LLAMA, base, VERSION,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        // rules out the second model overwriting (or being served from) the first one's directory
        assertThat(llama).isEqualTo(base.resolve("editunit-tiny-llama-" + VERSION)).isNotEqualTo(gpt2);
        assertThat(BundledModels.problem(BundledModels.TINY_LLAMA, llama)).isNull();
        assertThat(BundledModels.problem(gpt2)).isNull();
        for (String f : BundledModels.FILES) {
            try (InputStream in = BundledModels.class.getResourceAsStream("/io/github/editunit/models/editunit-tiny-llama/"
                    + f)) {
                assertThat(in).as(f).isNotNull();
                var sha = ModelManifest.newSha256();
                sha.update(in.readAllBytes());
                assertThat(ModelManifest.sha256(llama.resolve(f))).as(f)
                        .isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
            }
        }
        assertThat(Files.readString(llama.resolve("config.json"))).contains("\"model_type\" : \"llama\"");
        assertThat(BundledModels.isBundled("editunit-tiny-llama")).isTrue();
        assertThat(BundledModels.canonicalName(BundledModels.BUNDLED)).isEqualTo(BundledModels.TINY);
    }

    /**
     * An extraction from another build of the same version (a rebuilt SNAPSHOT whose model card changed): its files
     * match its own manifest, so only a comparison with the jar tells. Rules out trusting a self-consistent
     * manifest, which would keep serving the old build's files.
     */
    @Test
    void extractionOfAnotherBuildOfTheSameVersionIsReplaced() throws IOException {
        Path dir = extract();
        Path card = dir.resolve("MODEL_CARD.md");
        Files.writeString(card, Files.readString(card) + "\nanother build\n");
        ModelManifest.of(dir).write(dir);
        assertThat(ModelManifest.read(dir).orElseThrow().problems(dir, f -> true)).as("self-consistent").isEmpty();
        assertThat(BundledModels.problem(dir)).startsWith(card.toString()).contains("differs from the file in the");

        assertThat(extract()).isEqualTo(dir);
        assertThat(logText()).contains("discarding the extracted bundled model").contains(card.toString());
        assertIntact(dir);
    }
}
