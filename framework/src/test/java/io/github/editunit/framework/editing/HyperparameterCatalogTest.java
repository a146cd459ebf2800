package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.model.Architecture;
import io.github.editunit.framework.model.Architectures;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.Projection;
import io.github.editunit.framework.model.gptj.GptjSettings;
import io.github.editunit.framework.model.llama.LlamaSettings;
import io.github.editunit.framework.model.llama.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped hyperparameter sets ({@code hparams/<name>/<method>.json} and {@code models.json}):
 * every file binds to its record and holds the values algorithms.md lists for its model, every
 * value of a reference file is traced in {@code _source}, its layers exist on the model and edit
 * the reference's module there, and the catalog picks a set by {@code model_type} and size (or
 * by name) without handing a model the set of its nearest look-alike.
 */
class HyperparameterCatalogTest {

    /** The real checkpoints' configurations (Hugging Face {@code config.json} values). */
    static final ModelConfig GPT2_XL = ModelConfig.gpt2(50257, 1024, 1600, 48, 25);
    static final ModelConfig EDITUNIT_TINY = ModelConfig.gpt2(4096, 128, 128, 4, 4);
    static final ModelConfig GPTJ_6B = GptjSettings.config(50400, 2048, 4096, 28, 16, 16384, 1e-5, 50256, 64);
    static final ModelConfig LLAMA2_7B = llama("llama", 32000, 4096, 11008, 32, 10000.0, null);
    static final ModelConfig LLAMA3_8B = llama("llama", 128256, 8192, 14336, 8, 500000.0, null);
    static final ModelConfig LLAMA31_8B = llama("llama", 128256, 131072, 14336, 8, 500000.0,
            RopeScaling.llama3(8, 1, 4, 8192));
    /** Mistral-7B v0.2 / v0.3: Llama-3 8B's layers, width, inner width and kv heads, but theta 1e6. */
    static final ModelConfig MISTRAL_7B = llama("mistral", 32000, 32768, 14336, 8, 1_000_000.0, null);
    /** Code Llama 7B: Llama-2 7B's shape, but theta 1e6. */
    static final ModelConfig CODE_LLAMA_7B = llama("llama", 32016, 16384, 11008, 32, 1_000_000.0, null);

    /** A 32-layer, 4096-wide Llama-family configuration with 32 heads of 128. */
    static ModelConfig llama(String type, int vocab, int context, int inner, int kvHeads, double theta,
            RopeScaling scaling) {
        return LlamaSettings.config(type, vocab, context, 4096, 32, 32, inner, 1e-5, 2,
                new LlamaSettings(kvHeads, 128, theta, scaling, false, false, false, null, 1));
    }

    /** Each shipped set with the configuration of the model it is for. */
    static Stream<Arguments> shipped() {
        return Stream.of(Arguments.of("gpt2-xl", GPT2_XL), Arguments.of("gpt-j-6b", GPTJ_6B),
                Arguments.of("llama-2-7b", LLAMA2_7B), Arguments.of("llama-3-8b", LLAMA3_8B),
                Arguments.of("editunit-tiny", EDITUNIT_TINY));
    }

    /** The sets whose values come from the reference repositories, traced value by value in {@code _source}. */
    static Stream<String> referenceSets() {
        return Stream.of("gpt2-xl", "gpt-j-6b", "llama-2-7b", "llama-3-8b");
    }

    /** The reference's {@code rewrite_module_tmp} per family (algorithms.md §1.1, §1.8, §2.1). */
    static String referenceModule(ModelConfig c) {
        return switch (c.modelType()) {
            case "gpt2" -> "transformer.h.{}.mlp.c_proj";
            case "gptj" -> "transformer.h.{}.mlp.fc_out";
            default -> "model.layers.{}.mlp.down_proj";
        };
    }

    private static RomeHyperparameters rome(String name) {
        return HyperparameterCatalog.bind(HyperparameterCatalog.load("rome", name, null), RomeHyperparameters.class);
    }

    private static MemitHyperparameters memit(String name) {
        return HyperparameterCatalog.bind(HyperparameterCatalog.load("memit", name, null), MemitHyperparameters.class);
    }

    private static FineTuneHyperparameters ftl(String name) {
        return HyperparameterCatalog.bind(HyperparameterCatalog.load("ft-l", name, null),
                FineTuneHyperparameters.class);
    }

    /**
     * The catalog lists exactly the seven shipped sets, and every file of each binds to its record
     * with the fields the editors need set. Rules out a set listed in models.json without files, a
     * file that does not parse or binds with a missing field read as 0, and a stray set nobody
     * can select.
     */
    @Test
    void everyShippedFileParsesAndBindsToItsRecord() {
        assertThat(HyperparameterCatalog.names())
                .containsExactly("gpt2-xl", "gpt-j-6b", "llama-2-7b", "llama-3-8b", "editunit-tiny", "editunit-sandbox",
                        "editunit-tiny-llama");
        for (String name : HyperparameterCatalog.names()) {
            RomeHyperparameters r = rome(name);
            assertThat(r.mode()).as(name).isEqualTo(KeyMode.ORIGINAL);
            assertThat(r.vNumGradSteps()).as(name).isPositive();
            assertThat(r.vLr()).as(name).isPositive();
            assertThat(r.clampNormFactor()).as(name).isPositive();
            assertThat(r.mom2NSamples()).as(name).isPositive();
            assertThat(r.contextTemplateLengthParams()).as(name).isNotEmpty();
            MemitHyperparameters m = memit(name);
            assertThat(m.layers()).as(name).isNotEmpty().isSorted();
            assertThat(m.vNumGradSteps()).as(name).isPositive();
            assertThat(m.mom2UpdateWeight()).as(name).isPositive();
            assertThat(m.mom2NSamples()).as(name).isPositive();
            assertThat(m.roundCount()).as(name).isPositive();
            FineTuneHyperparameters f = ftl(name);
            assertThat(f.layers()).as(name).isNotEmpty();
            assertThat(f.numSteps()).as(name).isPositive();
            assertThat(f.lr()).as(name).isPositive();
            assertThat(f.constrained()).as(name + " ft-l is the constrained FT").isTrue();
        }
    }

    /**
     * GPT-J 6B holds the ROME / MEMIT / constrained-FT reference values of algorithms.md §1.8,
     * §2.5 and §3. Rules out GPT-2 XL's values left in (MEMIT 20 steps, λ 20000, FT ε 5e-4),
     * [SEED]'s GPT-J FT (layer 21, unconstrained) and the Llama values (weight decay 0.001).
     */
    @Test
    void gptj6bFilesHoldTheReferenceValues() {
        RomeHyperparameters r = rome("gpt-j-6b");
        assertThat(r.layer()).isEqualTo(5);
        assertThat(List.of(r.vNumGradSteps(), r.vLr(), r.vWeightDecay(), r.clampNormFactor(), r.klFactor()))
                .containsExactly(20, 0.5, 0.5, 4.0, 0.0625);
        assertThat(r.mom2Adjustment()).isTrue();
        assertThat(r.contextTemplateLengthParams()).isDeepEqualTo(new int[][] {{5, 10}, {10, 10}});
        MemitHyperparameters m = memit("gpt-j-6b");
        assertThat(m.layers()).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(List.of(m.vNumGradSteps(), m.vLr(), m.vWeightDecay(), m.clampNormFactor(), m.klFactor(),
                m.mom2UpdateWeight())).containsExactly(25, 0.5, 0.5, 0.75, 0.0625, 15000.0);
        assertThat(m.mom2Adjustment()).isTrue();
        assertThat(m.roundCount()).isEqualTo(1);
        FineTuneHyperparameters f = ftl("gpt-j-6b");
        assertThat(f.layers()).containsExactly(0);
        assertThat(List.of(f.numSteps(), f.lr(), f.weightDecay(), f.normConstraint()))
                .containsExactly(25, 5e-4, 0.0, 5e-5);
        assertThat(f.teacherForced()).isFalse();
    }

    /**
     * Llama-2 7B holds [SEED]'s values (algorithms.md §1.8, §2.5, §3; EasyEdit's MEMIT in §6.2
     * agrees), with ROME's C⁻¹ on as §1.5 recommends. Rules out the GPT-J values carried over
     * (ROME 20 steps and weight decay 0.5, MEMIT layers 3–8 and clamp 0.75, FT layer 0).
     */
    @Test
    void llama27bFilesHoldTheSeedValues() {
        RomeHyperparameters r = rome("llama-2-7b");
        assertThat(r.layer()).isEqualTo(5);
        assertThat(List.of(r.vNumGradSteps(), r.vLr(), r.vWeightDecay(), r.clampNormFactor(), r.klFactor()))
                .containsExactly(25, 0.5, 0.001, 4.0, 0.0625);
        assertThat(r.mom2Adjustment()).isTrue();
        assertThat(r.mom2NSamples()).isEqualTo(100000);
        assertThat(r.contextTemplateLengthParams()).isDeepEqualTo(new int[][] {{5, 10}, {10, 10}});
        MemitHyperparameters m = memit("llama-2-7b");
        assertThat(m.layers()).containsExactly(4, 5, 6, 7, 8);
        assertThat(List.of(m.vNumGradSteps(), m.vLr(), m.vWeightDecay(), m.clampNormFactor(), m.klFactor(),
                m.mom2UpdateWeight())).containsExactly(25, 0.5, 0.001, 4.0, 0.0625, 15000.0);
        assertThat(m.mom2Adjustment()).isTrue();
        assertThat(m.roundCount()).isEqualTo(1);
        FineTuneHyperparameters f = ftl("llama-2-7b");
        assertThat(f.layers()).containsExactly(21);
        assertThat(List.of(f.numSteps(), f.lr(), f.weightDecay(), f.normConstraint()))
                .containsExactly(25, 5e-4, 0.0, 5e-5);
    }

    /**
     * Llama-3 8B: ROME from EasyEdit (algorithms.md §6.2), MEMIT and FT-L, for which no reference
     * gives values, identical to Llama-2 7B's files they were carried over from. Rules out a
     * Llama-3 file that drifted from its stated origin or took the GPT-J values.
     */
    @Test
    void llama38bFilesHoldEasyEditRomeAndLlama2Carryovers() {
        RomeHyperparameters r = rome("llama-3-8b");
        assertThat(r.layer()).isEqualTo(5);
        assertThat(List.of(r.vNumGradSteps(), r.vLr(), r.vWeightDecay(), r.clampNormFactor(), r.klFactor()))
                .containsExactly(25, 0.5, 0.001, 4.0, 0.0625);
        assertThat(r.mom2Adjustment()).isTrue();
        for (String method : List.of("memit", "ft-l", "ft")) {
            ObjectNode three = HyperparameterCatalog.load(method, "llama-3-8b", null);
            ObjectNode two = HyperparameterCatalog.load(method, "llama-2-7b", null);
            three.remove("_source");
            two.remove("_source");
            assertThat(three).as(method).isEqualTo(two);
        }
    }

    /**
     * Every value of a reference file is traced in {@code _source} (an object: value name →
     * reference, plus {@code module}); ROME files say that [SEED] / EasyEdit ship
     * {@code mom2_adjustment} false; Llama-3 MEMIT and FT-L name the file each value was carried
     * over from. Rules out a value added without a source, a stale source naming a value that is
     * gone, and the seed's disabled C passed over in silence.
     */
    @ParameterizedTest
    @MethodSource("referenceSets")
    void everyReferenceValueIsTracedInSource(String name) {
        for (String method : List.of("rome", "memit", "ft-l", "ft")) {
            ObjectNode file = HyperparameterCatalog.load(method, name, null);
            JsonNode source = file.get("_source");
            assertThat(source).as(name + "/" + method).isNotNull();
            assertThat(source.isObject()).as(name + "/" + method + " _source is an object").isTrue();
            TreeSet<String> values = new TreeSet<>();
            file.fieldNames().forEachRemaining(k -> {
                if (!k.startsWith("_")) {
                    values.add(k);
                }
            });
            TreeSet<String> traced = new TreeSet<>();
            source.fieldNames().forEachRemaining(traced::add);
            traced.remove("module");
            // the catalog resolves test_prefix to the method's value; the file states one per mode
            assertThat(traced).as(name + "/" + method).isEqualTo(values);
            source.fields().forEachRemaining(e -> assertThat(e.getValue().asText())
                    .as(name + "/" + method + " " + e.getKey()).isNotBlank());
            if (name.equals("llama-3-8b") && !method.equals("rome")) {
                source.fields().forEachRemaining(e -> {
                    if (!e.getValue().asText().startsWith("EditUnit's own")) {
                        assertThat(e.getValue().asText()).as(e.getKey()).contains("carried over from llama-2-7b/"
                                + HyperparameterCatalog.fileOf(method));
                    }
                });
            }
        }
        String mom2 = HyperparameterCatalog.load("rome", name, null).get("_source").get("mom2_adjustment").asText();
        assertThat(mom2).contains("ships false").contains("--set mom2_adjustment=false");
    }

    /**
     * Every layer of every shipped file exists on its model, and the matrix the editors take there
     * ({@link Architecture#mlpDownProjection}) is the reference's module ({@code c_proj},
     * {@code fc_out}, {@code down_proj}) with keys of the model's inner width; reference files
     * record that module in {@code _source.module}. Rules out a layer index past the last block
     * (e.g. GPT-J's 28) and a file whose layers would land on another matrix than the paper's.
     */
    @ParameterizedTest
    @MethodSource("shipped")
    void layersAreInsideTheModelAndEditTheReferenceModule(String name, ModelConfig config) {
        assertThat(HyperparameterCatalog.modelName(config)).isEqualTo(name);
        Architecture arch = Architectures.forConfig(config);
        List<Integer> layers = new ArrayList<>();
        layers.add(rome(name).layer());
        for (int l : memit(name).layers()) {
            layers.add(l);
        }
        for (int l : ftl(name).layers()) {
            layers.add(l);
        }
        for (int l : HyperparameterCatalog.bind(HyperparameterCatalog.load("ft", name, null),
                FineTuneHyperparameters.class).layers()) {
            layers.add(l);
        }
        for (int l : layers) {
            assertThat(l).as(name).isBetween(0, config.layers() - 1);
            Projection p = arch.mlpDownProjection(l);
            assertThat(p.weightName()).as(name).isEqualTo(referenceModule(config).replace("{}", Integer.toString(l))
                    + ".weight");
            assertThat(p.inDim()).as(name).isEqualTo(config.innerWidth());
            assertThat(p.outDim()).as(name).isEqualTo(config.width());
        }
        if (referenceSets().anyMatch(name::equals)) {
            for (String method : List.of("rome", "memit", "ft-l", "ft")) {
                assertThat(HyperparameterCatalog.load(method, name, null).get("_source").get("module").asText())
                        .as(name + "/" + method).contains(referenceModule(config));
            }
        }
    }

    /**
     * Llama-2 7B's configuration picks llama-2-7b; each single criterion moved to its Llama-3 8B
     * value (kv heads 8, inner 14336, rope_theta 500000) picks something else, and Code Llama 7B
     * (Llama-2's shape, theta 1e6) picks nothing. Rules out Llama-3 8B's set (same layers and
     * width) for Llama-2, and a look-alike with another rotary base getting Llama-2's.
     */
    @Test
    void llama2SevenBConfigPicksLlama2NotLlama3() {
        assertThat(HyperparameterCatalog.modelName(LLAMA2_7B)).isEqualTo("llama-2-7b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 32000, 4096, 11008, 8, 10000.0, null)))
                .isNotEqualTo("llama-2-7b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 32000, 4096, 14336, 32, 10000.0, null)))
                .isNotEqualTo("llama-2-7b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 32000, 4096, 11008, 32, 500000.0, null)))
                .isNotEqualTo("llama-2-7b");
        assertThat(HyperparameterCatalog.modelName(CODE_LLAMA_7B)).isNull();
        assertThat(HyperparameterCatalog.load("rome", LLAMA2_7B, null, null, null).get("_source").get("layer")
                .asText()).contains("[SEED] Llama-2-7b");
    }

    /**
     * Llama-3 8B's configuration picks llama-3-8b, and so does Llama-3.1 8B (same shape and theta,
     * llama3 rope scaling: rope_scaling is not a criterion); each single criterion moved to its
     * Llama-2 7B value picks something else. Rules out Llama-2 7B's set for Llama-3 8B.
     */
    @Test
    void llama3EightBConfigPicksLlama3NotLlama2() {
        assertThat(HyperparameterCatalog.modelName(LLAMA3_8B)).isEqualTo("llama-3-8b");
        assertThat(HyperparameterCatalog.modelName(LLAMA31_8B)).isEqualTo("llama-3-8b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 128256, 8192, 14336, 32, 500000.0, null)))
                .isNotEqualTo("llama-3-8b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 128256, 8192, 11008, 8, 500000.0, null)))
                .isNotEqualTo("llama-3-8b");
        assertThat(HyperparameterCatalog.modelName(llama("llama", 128256, 8192, 14336, 8, 10000.0, null)))
                .isNotEqualTo("llama-3-8b");
        assertThat(HyperparameterCatalog.load("rome", LLAMA3_8B, null, null, null).get("_source").get("layer")
                .asText()).contains("EasyEdit Llama-3 8B");
    }

    /**
     * Mistral 7B (hidden 4096, 32 layers, inner 14336, 8 kv heads, theta 1e6) picks nothing: not as
     * {@code mistral} (model_type must match), not relabelled {@code llama} (theta differs), and a
     * {@code mistral} or {@code qwen2} config with exactly Llama-3's or Llama-2's shape picks nothing
     * either. Rules out Llama-3 8B's set for Mistral, the nearest look-alike, and Llama sets for
     * mistral / qwen2 by shape alone.
     */
    @Test
    void mistralAndQwen2ConfigsDoNotPickLlamaSets() {
        assertThat(HyperparameterCatalog.modelName(MISTRAL_7B)).isNull();
        assertThat(HyperparameterCatalog.modelName(llama("llama", 32000, 32768, 14336, 8, 1_000_000.0, null)))
                .isNull();
        assertThat(HyperparameterCatalog.modelName(llama("mistral", 128256, 8192, 14336, 8, 500000.0, null)))
                .isNull();
        assertThat(HyperparameterCatalog.modelName(llama("qwen2", 32000, 4096, 11008, 32, 10000.0, null)))
                .isNull();
    }

    /**
     * GPT-J 6B's configuration picks gpt-j-6b; a gptj config of another inner width or Llama's 32
     * layers picks nothing, and a Llama config with GPT-J's 28 layers, width and inner width picks
     * nothing. Rules out the Llama sets (same width 4096) for GPT-J and GPT-J's set for any
     * 4096-wide model of another family or MLP.
     */
    @Test
    void gptj6bConfigPicksGptjNotLlama() {
        assertThat(HyperparameterCatalog.modelName(GPTJ_6B)).isEqualTo("gpt-j-6b");
        assertThat(HyperparameterCatalog.modelName(GptjSettings.config(50400, 2048, 4096, 28, 16, 11008, 1e-5, 50256,
                64))).isNull();
        assertThat(HyperparameterCatalog.modelName(GptjSettings.config(50400, 2048, 4096, 32, 16, 16384, 1e-5, 50256,
                64))).isNull();
        assertThat(HyperparameterCatalog.modelName(LlamaSettings.config("llama", 50400, 2048, 4096, 28, 32, 16384,
                1e-5, 2, new LlamaSettings(32, 128, 10000.0, null, false, false, false, null, 1)))).isNull();
    }

    /**
     * GPT-2 XL and the bundled model are picked as before (model_type, layers and width only):
     * GPT-2 XL with another inner width still picks gpt2-xl, GPT-2 large (36 × 1280) picks nothing,
     * and GPT-2 XL's shape under gptj picks nothing. Rules out editunit-tiny's or gpt-j-6b's set
     * for GPT-2 XL and a tightened GPT-2 rule.
     */
    @Test
    void gpt2XlAndTheBundledModelArePickedAsBefore() {
        assertThat(HyperparameterCatalog.modelName(GPT2_XL)).isEqualTo("gpt2-xl");
        assertThat(HyperparameterCatalog.modelName(new ModelConfig("gpt2", 50257, 1024, 1600, 48, 25, 4096, 1e-5,
                "gelu_new", 50256))).isEqualTo("gpt2-xl");
        assertThat(HyperparameterCatalog.modelName(EDITUNIT_TINY)).isEqualTo("editunit-tiny");
        assertThat(HyperparameterCatalog.modelName(ModelConfig.gpt2(50257, 1024, 1280, 36, 20))).isNull();
        assertThat(HyperparameterCatalog.modelName(GptjSettings.config(50257, 1024, 1600, 48, 25, 6400, 1e-5, 50256,
                64))).isNull();
        assertThat(HyperparameterCatalog.load("rome", GPT2_XL, null, null, null).get("layer").asInt()).isEqualTo(17);
    }

    /**
     * The bundled Llama gets its own set (MEMIT λ 1500), not the GPT-2 tiny model's (λ 1000, which
     * collapses it) of the same width and depth, and a Llama of that size without GQA gets none.
     */
    @Test
    void theBundledLlamaIsPickedByFamilyAndShape() {
        io.github.editunit.framework.model.llama.LlamaSettings gqa =
                new io.github.editunit.framework.model.llama.LlamaSettings(2, 32, 10000, null, false, false, false,
                        null, 4095);
        ModelConfig tinyLlama = io.github.editunit.framework.model.llama.LlamaSettings.config("llama", 4096, 128, 128,
                4, 4, 344, 1e-5, 4094, gqa);
        assertThat(HyperparameterCatalog.modelName(tinyLlama)).isEqualTo("editunit-tiny-llama");
        assertThat(HyperparameterCatalog.load("memit", tinyLlama, null, null, null).get("mom2_update_weight").asInt())
                .isEqualTo(1500);
        ModelConfig noGqa = io.github.editunit.framework.model.llama.LlamaSettings.config("llama", 4096, 128, 128, 4, 4,
                344, 1e-5, 4094, io.github.editunit.framework.model.llama.LlamaSettings.defaults(4, 32));
        assertThat(HyperparameterCatalog.modelName(noGqa)).isNull();
    }

    /**
     * A model no entry matches is an {@link IllegalArgumentException} naming what was looked up and
     * every shipped set with its shape, as before. Rules out a silent fallback to the nearest set
     * (Llama-3 8B for Mistral) and a message that hides why nothing matched.
     */
    @Test
    void unknownModelNamesWhatWasLookedUpAndTheKnownSets() {
        assertThatThrownBy(() -> HyperparameterCatalog.load("memit", MISTRAL_7B, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no memit hyperparameters for this model (mistral, 32 layers, width 4096, "
                        + "inner 14336, kv heads 8, rope_theta 1000000): pass a file with --hparams or put one in "
                        + "<model>/editunit-hparams/memit.json")
                .hasMessageContaining("gpt2-xl (gpt2, 48 layers, width 1600)")
                .hasMessageContaining("gpt-j-6b (gptj, 28 layers, width 4096, inner 16384)")
                .hasMessageContaining("llama-2-7b (llama, 32 layers, width 4096, inner 11008, kv heads 32, "
                        + "rope_theta 10000)")
                .hasMessageContaining("llama-3-8b (llama, 32 layers, width 4096, inner 14336, kv heads 8, "
                        + "rope_theta 500000)")
                .hasMessageContaining("editunit-tiny (gpt2, 4 layers, width 128)");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", "mistral-7b", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no shipped hyperparameters named \"mistral-7b\" (known: gpt2-xl, gpt-j-6b, llama-2-7b, "
                        + "llama-3-8b, editunit-tiny, editunit-sandbox, editunit-tiny-llama)");
    }

    /**
     * A set named explicitly is loaded whatever the model, and the method rules and overrides apply
     * as for a matched one (c-rome: consistent keys and a test prefix; ft: no ε, i.e. [SEED]'s
     * unconstrained Llama-2 FT; {@code v_lr=0.2}). Rules out the name being ignored, or the method
     * rules skipped on this path.
     */
    @Test
    void byNameLoadsTheNamedSetWithTheMethodRulesAndOverrides() {
        RomeHyperparameters r = HyperparameterCatalog.bind(
                HyperparameterCatalog.load("c-rome", "llama-3-8b", Map.of("v_lr", "0.2")), RomeHyperparameters.class);
        assertThat(r.mode()).isEqualTo(KeyMode.CONSISTENT);
        assertThat(r.testPrefix()).isTrue();
        assertThat(r.vLr()).isEqualTo(0.2);
        assertThat(r.vWeightDecay()).isEqualTo(0.001);
        FineTuneHyperparameters ft = HyperparameterCatalog.bind(HyperparameterCatalog.load("ft", "llama-2-7b", null),
                FineTuneHyperparameters.class);
        assertThat(ft.constrained()).isFalse();
        assertThat(ft.layers()).containsExactly(21);
        assertThat(HyperparameterCatalog.load("rome", "gpt-j-6b", null).get("layer").asInt()).isEqualTo(5);
    }
}
