package io.github.editunit.framework.editing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recipe profiles of the shipped sets ({@code reference} and {@code seed}), the per-mode
 * {@code test_prefix}, FT's own layers, and the method rules {@link HyperparameterCatalog} forces
 * whatever a file says (c-rome and p-rome key modes, ft without ε). Each test names the wrong
 * variant it rules out.
 */
class HyperparameterProfileTest {

    private static final Map<String, String> SEED = Map.of(HyperparameterCatalog.PROFILE, "seed");

    private static RomeHyperparameters rome(String method, String name, Map<String, String> overrides) {
        return HyperparameterCatalog.bind(HyperparameterCatalog.load(method, name, overrides), RomeHyperparameters.class);
    }

    private static FineTuneHyperparameters ft(String method, String name, Map<String, String> overrides) {
        return HyperparameterCatalog.bind(HyperparameterCatalog.load(method, name, overrides),
                FineTuneHyperparameters.class);
    }

    /**
     * The seed profile is the seed repository's ROME yaml: C = I, seed-word templates and no test
     * prefix for any mode, c-rome included (if_prefix false); the reference profile is ROME's: C⁻¹,
     * {@code <|endoftext|>} templates, and the test prefix only with c-rome (the paper's fix uses
     * both). Rules out the profile choice being ignored (the same file for both), the seed's
     * mom2_adjustment left true, seed words not selected, and c-rome still forcing the prefix.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2-xl", "gpt-j-6b", "llama-2-7b"})
    void seedAndReferenceProfilesDifferInExactlyTheSeedRecipes(String name) {
        assertThat(HyperparameterCatalog.profiles(name)).containsExactly("reference", "seed");
        for (String method : List.of("rome", "c-rome", "p-rome")) {
            RomeHyperparameters seed = rome(method, name, SEED);
            RomeHyperparameters ref = rome(method, name, null);
            assertThat(seed.mom2Adjustment()).as(name + " " + method + " seed").isFalse();
            assertThat(seed.templateRecipe()).as(name + " " + method + " seed").isEqualTo("seed-words");
            assertThat(seed.testPrefix()).as(name + " " + method + " seed if_prefix").isFalse();
            assertThat(ref.mom2Adjustment()).as(name + " " + method + " reference").isTrue();
            assertThat(ref.templateRecipe()).as(name + " " + method + " reference").isEqualTo("rome");
            assertThat(ref.testPrefix()).as(name + " " + method + " reference").isEqualTo(method.equals("c-rome"));
            // every other value is the same in both profiles
            ObjectNode s = HyperparameterCatalog.load(method, name, SEED);
            ObjectNode r = HyperparameterCatalog.load(method, name, null);
            for (String k : List.of("_source", "mom2_adjustment", "context_templates", "test_prefix")) {
                s.remove(k);
                r.remove(k);
            }
            assertThat(s).as(name + " " + method).isEqualTo(r);
        }
        for (String method : List.of("memit", "ft-l", "ft")) {
            assertThat(HyperparameterCatalog.load(method, name, SEED).get("_source").get("profile").asText())
                    .as(name + " " + method).startsWith("seed profile");
        }
    }

    /**
     * Every ROME file's {@code _source.mom2_adjustment} starts with the value the file holds (the
     * GPT-2 XL file once said "SEED reference values" next to {@code true}, which the seed does not
     * ship). Rules out a source that claims one profile's value while the file holds the other's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpt2-xl", "gpt-j-6b", "llama-2-7b", "llama-3-8b"})
    void romeSourcesStateTheMom2ValueTheFileHolds(String name) {
        for (String profile : HyperparameterCatalog.profiles(name)) {
            ObjectNode f = HyperparameterCatalog.load("rome", name, Map.of(HyperparameterCatalog.PROFILE, profile));
            assertThat(f.get("_source").get("mom2_adjustment").asText()).as(name + " " + profile)
                    .startsWith(Boolean.toString(f.get("mom2_adjustment").asBoolean()));
        }
    }

    /**
     * FT (unconstrained) has its own file with the references' layers: GPT-2 XL 1 ([ROME]
     * unconstrained), GPT-J 21 ([ROME] unconstrained, [SEED]), Llama-2 21 ([SEED]); FT-L keeps the
     * constrained configs' layer 0 (GPT-2 XL, GPT-J). Rules out ft reading ft-l.json's layer 0
     * (what it did before) and ft-l taking ft's layers.
     */
    @Test
    void ftHasTheReferenceLayersPerModelAndFtLKeepsItsOwn() {
        assertThat(ft("ft", "gpt2-xl", null).layers()).containsExactly(1);
        assertThat(ft("ft", "gpt-j-6b", null).layers()).containsExactly(21);
        assertThat(ft("ft", "llama-2-7b", null).layers()).containsExactly(21);
        assertThat(ft("ft", "llama-2-7b", SEED).layers()).containsExactly(21);
        assertThat(ft("ft", "gpt-j-6b", SEED).layers()).containsExactly(21);
        assertThat(ft("ft-l", "gpt2-xl", null).layers()).containsExactly(0);
        assertThat(ft("ft-l", "gpt-j-6b", null).layers()).containsExactly(0);
        for (String name : HyperparameterCatalog.names()) {
            assertThat(ft("ft", name, null).constrained()).as(name).isFalse();
            assertThat(ft("ft-l", name, null).constrained()).as(name).isTrue();
        }
        // the bundled models keep what --method ft ran before (ft-l.json's values without ε)
        for (String name : List.of("editunit-tiny", "editunit-tiny-llama")) {
            ObjectNode a = HyperparameterCatalog.load("ft", name, null);
            ObjectNode b = HyperparameterCatalog.load("ft-l", name, null);
            for (ObjectNode n : List.of(a, b)) {
                n.remove("_source");
                n.remove("norm_constraint");
            }
            assertThat(a).as(name).isEqualTo(b);
        }
    }

    /**
     * The method rules are applied after the file and the overrides: c-rome runs consistent keys and
     * p-rome the bare prompt's key even when file and {@code --set key_mode=original} say otherwise,
     * and ft is unconstrained even when its file states an ε. Rules out the forcing dropped (the file's
     * key mode or ε used) or applied before the overrides (an override undoing the method).
     */
    @Test
    void methodRulesOverrideTheFileAndTheOverrides(@TempDir Path dir) throws IOException {
        Map<String, String> original = Map.of("key_mode", "original");
        assertThat(rome("c-rome", "gpt2-xl", original).mode()).isEqualTo(KeyMode.CONSISTENT);
        assertThat(rome("p-rome", "gpt2-xl", original).mode()).isEqualTo(KeyMode.PROMPT_ONLY);
        assertThat(rome("rome", "gpt2-xl", Map.of("key_mode", "consistent")).mode()).isEqualTo(KeyMode.CONSISTENT);
        Path file = dir.resolve("ft.json");
        Files.writeString(file, "{\"layers\": [2], \"num_steps\": 3, \"lr\": 0.1, \"norm_constraint\": 5e-4}");
        FineTuneHyperparameters unconstrained = HyperparameterCatalog.bind(HyperparameterCatalog.load("ft",
                HyperparameterCatalogTest.GPT2_XL, null, file, null), FineTuneHyperparameters.class);
        assertThat(unconstrained.constrained()).isFalse();
        assertThat(unconstrained.layers()).containsExactly(2);
        FineTuneHyperparameters constrained = HyperparameterCatalog.bind(HyperparameterCatalog.load("ft-l",
                HyperparameterCatalogTest.GPT2_XL, null, file, null), FineTuneHyperparameters.class);
        assertThat(constrained.normConstraint()).isEqualTo(5e-4);
    }

    /**
     * {@code test_prefix} is explicit: a per-mode object gives each mode its own value, a boolean
     * (a user file, {@code --set test_prefix=...}, {@code hardedit.testPrefix}) applies to every mode,
     * c-rome included. Rules out c-rome forcing the prefix on against an explicit false (what it did
     * before), the object's value of another mode taken, and a mode missing from the object read as on.
     */
    @Test
    void testPrefixIsExplicitPerMode(@TempDir Path dir) throws IOException {
        assertThat(rome("c-rome", "gpt2-xl", Map.of("test_prefix", "false")).testPrefix()).isFalse();
        assertThat(rome("rome", "gpt2-xl", Map.of("test_prefix", "true")).testPrefix()).isTrue();
        assertThat(rome("p-rome", "gpt2-xl", Map.of("test_prefix", "true")).testPrefix()).isTrue();
        Path file = dir.resolve("rome.json");
        Files.writeString(file, "{\"layer\": 1, \"test_prefix\": {\"p-rome\": true}}");
        for (String method : List.of("rome", "c-rome", "p-rome")) {
            RomeHyperparameters hp = HyperparameterCatalog.bind(HyperparameterCatalog.load(method,
                    HyperparameterCatalogTest.GPT2_XL, null, file, null), RomeHyperparameters.class);
            assertThat(hp.testPrefix()).as(method).isEqualTo(method.equals("p-rome"));
        }
        Files.writeString(file, "{\"layer\": 1, \"test_prefix\": false}");
        assertThat(HyperparameterCatalog.bind(HyperparameterCatalog.load("c-rome", HyperparameterCatalogTest.GPT2_XL,
                null, file, null), RomeHyperparameters.class).testPrefix()).as("a boolean holds for c-rome too").isFalse();
        Files.writeString(file, "{\"layer\": 1, \"test_prefix\": {\"memit\": true}}");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", HyperparameterCatalogTest.GPT2_XL, null, file, null))
                .hasMessageContaining("test_prefix").hasMessageContaining("\"memit\" is not a ROME mode");
    }

    /**
     * A profile is a choice among the shipped sets: an unknown name, a profile a set does not ship
     * (the bundled model has only its tuned set) and a profile together with an explicit file are
     * errors that name what is available; an unknown template recipe is refused by name. Rules out
     * a silent fallback to the reference files, which would make a "seed" run a reference run.
     */
    @Test
    void profileMistakesAreNamedErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", "gpt2-xl", Map.of("profile", "easyedit")))
                .hasMessageContaining("unknown hyperparameter profile \"easyedit\"").hasMessageContaining("reference, seed");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", "editunit-tiny", SEED))
                .hasMessageContaining("editunit-tiny have no \"seed\" profile").hasMessageContaining("it has: reference");
        Path file = dir.resolve("rome.json");
        Files.writeString(file, "{\"layer\": 1}");
        assertThatThrownBy(() -> HyperparameterCatalog.load("rome", HyperparameterCatalogTest.GPT2_XL, null, file, SEED))
                .hasMessageContaining("profile=seed").hasMessageContaining(file.toString());
        assertThatThrownBy(() -> rome("rome", "gpt2-xl", Map.of("context_templates", "random")))
                .hasMessageContaining("context_templates \"random\" is not a recipe").hasMessageContaining("seed-words");
        JsonNode bundled = HyperparameterCatalog.load("rome", "editunit-tiny", Map.of("profile", "reference"));
        assertThat(bundled.get("layer").asInt()).isZero();
    }
}
