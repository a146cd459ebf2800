package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.framework.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hyperparameter file that is not one JSON object is an {@link IllegalArgumentException} naming
 * the file. Found by {@code HyperparameterFuzzTest}: an empty file or an array used to be a
 * ClassCastException, a file Jackson decodes as UTF-32 an UncheckedIOException.
 */
class HyperparameterFileTest {

    private static final ModelConfig CONFIG = new ModelConfig("gpt2", 50, 16, 16, 2, 2, 32, 1e-5, "gelu_new", 49);

    @TempDir
    Path dir;

    @Test
    void fileThatIsNotAnObjectNamesTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("rome.json"), "");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", CONFIG, null, f, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ": rome hyperparameters must be a JSON object of name → value, but the file holds nothing");
        Files.writeString(f, "[1, 2]");
        assertThatThrownBy(() -> HyperparameterCatalog.load("memit", CONFIG, null, f, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(f + ": memit hyperparameters must be a JSON object of name → value, but the file holds array");
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws Exception {
        Path f = Files.writeString(dir.resolve("rome.json"), "{\n  \"layer\": 0,\n  \"v_lr\" 0.5\n}");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", CONFIG, null, f, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ":3:").hasMessageContaining("rome hyperparameters are not valid JSON");
        Files.write(f, new byte[] {1, 0, 0, 0, '{', '\n', ' ', ' '});
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", CONFIG, null, f, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ": rome hyperparameters are not JSON text: ");
    }

    @Test
    void wrongTypeOfAValueNamesTheRecordAndTheField() throws Exception {
        Path f = Files.writeString(dir.resolve("rome.json"), "{\"layer\": \"first\"}");
        assertThatThrownBy(() -> HyperparameterCatalog.bind(
                        HyperparameterCatalog.load("rome", CONFIG, null, f, null), RomeHyperparameters.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RomeHyperparameters").hasMessageContaining("\"layer\"");
        assertThat(HyperparameterCatalog.bind(HyperparameterCatalog.load("rome", CONFIG, null,
                Files.writeString(f, "{\"layer\": 1}"), null), RomeHyperparameters.class).layer()).isEqualTo(1);
    }
}
