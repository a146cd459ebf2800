package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.fuzz.FuzzFiles;
import io.github.editunit.framework.model.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes a hyperparameter file given with {@code --hparams}: {@link HyperparameterCatalog#load}
 * for every method, then {@link HyperparameterCatalog#bind} to the method's record. Contract: the
 * record, or an {@link IllegalArgumentException} naming the file (load) or the record type and
 * the field (bind).
 */
class HyperparameterFuzzTest {

    private static final ModelConfig CONFIG =
            new ModelConfig("gpt2", 50, 16, 16, 2, 2, 32, 1e-5, "gelu_new", 49);

    @TempDir
    static Path dir;

    @FuzzTest
    void hparams(byte[] bytes) {
        Path file = FuzzFiles.write(dir.resolve("hparams.json"), bytes);
        for (String method : EditorFactory.METHODS) {
            ObjectNode node;
            try {
                node = HyperparameterCatalog.load(method, CONFIG, null, file, null);
            } catch (IllegalArgumentException e) {
                FuzzFiles.assertNamesFile(e, file);
                return;
            }
            Class<?> type = switch (method) {
                case "rome", "c-rome", "p-rome" -> RomeHyperparameters.class;
                case "memit" -> MemitHyperparameters.class;
                default -> FineTuneHyperparameters.class;
            };
            try {
                assertThat(HyperparameterCatalog.bind(node, type)).isInstanceOf(type);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).contains(type.getSimpleName());
            }
        }
    }
}
