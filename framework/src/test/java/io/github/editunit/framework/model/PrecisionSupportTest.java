package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.editunit.framework.safetensors.CheckpointFiles;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the runtime supports per precision, decided at load (measured here: DJL 0.36.0, libtorch 2.7.1,
 * x86-64 CPU with AVX-512 but no FP16/BF16 extensions).
 */
class PrecisionSupportTest {

    @Test
    void settingsParseWithTheirAliasesAndAnUnknownOneNamesTheAllowedValues() {
        assertThat(Precision.parse(null)).isEqualTo(Precision.FLOAT32);
        assertThat(Precision.parse(" Float16 ")).isEqualTo(Precision.FLOAT16);
        assertThat(Precision.parse("fp16")).isEqualTo(Precision.FLOAT16);
        assertThat(Precision.parse("bf16")).isEqualTo(Precision.BFLOAT16);
        assertThatThrownBy(() -> Precision.parse("float8")).hasMessage(
                "unknown dtype 'float8'; use float32, float16, bfloat16");
    }

    /**
     * float16 passes every operation the forwards, hooks, value search and statistics use, on this
     * CPU. Rules out refusing a precision that works (the whole float16 path of this change would be
     * unreachable).
     */
    @Test
    void float16IsSupportedOnThisCpu() {
        PrecisionSupport.require(Precision.FLOAT16, Device.cpu());
        assertThat(PrecisionSupport.probe(Precision.FLOAT16, Device.cpu(), PrecisionSupport.operations())).isEmpty();
        assertThat(PrecisionSupport.isSlow(Precision.FLOAT16, Device.cpu())).isTrue();
    }

    /**
     * An operation libtorch refuses for a precision becomes one error naming the precision, the
     * operation, the device and the alternative. Rules out passing libtorch's bare message through from
     * deep inside a forward (the probe runs the operation itself, here a float16 product with a float32
     * operand that libtorch refuses).
     */
    @Test
    void anOperationLibtorchRefusesIsNamedWithDeviceAndAlternative() {
        Map<String, BiFunction<NDManager, DataType, NDArray>> ops = new LinkedHashMap<>();
        ops.put("mixed matmul", (m, d) -> m.ones(new ai.djl.ndarray.types.Shape(2, 2), d)
                .matMul(m.ones(new ai.djl.ndarray.types.Shape(2, 2), DataType.FLOAT32)));
        Optional<String> problem = PrecisionSupport.probe(Precision.FLOAT16, Device.cpu(), ops);
        assertThat(problem).hasValueSatisfying(p -> assertThat(p)
                .startsWith("float16 mixed matmul is not supported by libtorch on cpu (")
                .endsWith("); use dtype float32 (--dtype float32, hardedit.dtype=float32)"));
    }

    /**
     * bfloat16 is refused with a message naming it, the device and the alternatives, before any tensor
     * is read: the checkpoint here is garbage, and it is the precision that is reported. Rules out (a)
     * handing bfloat16 to DJL 0.36, whose PyTorch bridge calls std::terminate for it (the test JVM would
     * die), and (b) checking the precision only after reading the weights.
     */
    @Test
    void bfloat16IsRefusedAtLoadBeforeAnyTensorIsRead(@TempDir Path dir) throws Exception {
        Files.copy(BundledModels.tiny().resolve("config.json"), dir.resolve("config.json"));
        Files.writeString(dir.resolve(CheckpointFiles.SINGLE_FILE), "not a safetensors file");
        assertThatThrownBy(() -> ModelFiles.load(dir, LoadOptions.defaults().withPrecision(Precision.BFLOAT16)))
                .isInstanceOf(UnsupportedPrecisionException.class)
                .hasMessageStartingWith("bfloat16 is not supported on cpu: DJL 0.36's PyTorch bridge has no bfloat16 type")
                .hasMessageContaining("use dtype float16")
                .hasMessageContaining("or float32");
        assertThatThrownBy(() -> new ParameterStore(null, Precision.BFLOAT16))
                .isInstanceOf(UnsupportedPrecisionException.class);
        // the same garbage file in float16 gets past the precision and memory checks to the file error
        assertThatThrownBy(() -> ModelFiles.load(dir, LoadOptions.defaults().withPrecision(Precision.FLOAT16)))
                .isNotInstanceOf(UnsupportedPrecisionException.class)
                .hasMessageContaining(CheckpointFiles.SINGLE_FILE);
    }
}
