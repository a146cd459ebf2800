package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.github.editunit.framework.storage.StagedDirectory;
import io.github.editunit.models.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model directory written through {@link StagedDirectory} (as {@code train} writes it) carries a
 * manifest; loading checks the files against it, so a truncated, emptied, garbled or missing
 * file is refused with its name even where the file's own format would not notice.
 */
class ManifestCheckedLoadTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 50, 16, 16, 2, 2, 32, 1e-5, "gelu_new", 49);

    @TempDir
    Path root;

    Path dir;
    String hash;

    @BeforeEach
    void writeModel() throws IOException {
        dir = root.resolve("trained");
        try (StagedDirectory staged = StagedDirectory.begin(dir);
                LanguageModel m = LanguageModel.random(CONFIG, 8, null, Device.cpu())) {
            ModelFiles.save(m, staged.path(), Map.of(), null);
            Files.writeString(staged.path().resolve("stats-corpus.txt"), "A line.\nAnother line.\n");
            Files.writeString(staged.path().resolve("MODEL_CARD.md"), "# card\n");
            hash = m.parameters().contentHash();
            staged.commit();
        }
    }

    @Test
    void intactDirectoryLoadsAndItsCardMayBeEdited() throws IOException {
        Files.writeString(dir.resolve("MODEL_CARD.md"), "# card, edited by hand\n");
        // rules out a check so strict that documentation edits make the model unloadable
        try (LanguageModel m = ModelFiles.load(dir)) {
            assertThat(m.parameters().contentHash()).isEqualTo(hash);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "model.safetensors, flip-byte", // same size, valid header: only the checksum tells
        "model.safetensors, truncate",
        "config.json, empty",
        "config.json, flip-byte",
        "stats-corpus.txt, truncate", // not read by the loader itself, but used for the statistics
        "stats-corpus.txt, delete",
    })
    void damagedFileIsRefusedWithItsName(String file, String damage) throws IOException {
        Path f = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(f);
        switch (damage) {
            case "flip-byte" -> {
                bytes[bytes.length - 3] ^= 0x01;
                Files.write(f, bytes);
            }
            case "truncate" -> Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
            case "empty" -> Files.write(f, new byte[0]);
            case "delete" -> Files.delete(f);
            default -> throw new IllegalArgumentException(damage);
        }
        assertThatThrownBy(() -> ModelFiles.load(dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining(damage.equals("delete") ? "missing" : damage.equals("flip-byte") ? "SHA-256"
                        : "bytes")
                .hasMessageContaining("incomplete or corrupt");
    }

    @Test
    void truncatedManifestIsRefusedWithItsName() throws IOException {
        Path manifest = dir.resolve(ModelManifest.FILE_NAME);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.substring(0, text.length() - 8));
        assertThatThrownBy(() -> ModelFiles.load(dir)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(manifest.toString()).hasMessageContaining("corrupt manifest");
    }

    @Test
    void halfWrittenStagingDirectoryIsRefusedNamingTheMissingFile() throws IOException {
        // what an interrupted train leaves: a hidden staging directory with the tokenizer but no weights
        Path partial = root.resolve(".trained2.partial-999999999-1");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("config.json"), Files.readString(dir.resolve("config.json")));
        assertThatThrownBy(() -> ModelFiles.load(partial)).isInstanceOf(IOException.class)
                .hasMessageContaining(partial.toString()).hasMessageContaining("model.safetensors");
        assertThat(root.resolve("trained2")).doesNotExist();
    }
}
