package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.editunit.engine.config.ConfigurationResolver;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.config.Mode;
import io.github.editunit.engine.config.Shard;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.ConfigurationParameters;

class ConfigurationTest {

    private static ConfigurationParameters params(Map<String, String> m) {
        return new ConfigurationParameters() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(m.get(key));
            }

            @Override
            public Optional<Boolean> getBoolean(String key) {
                return get(key).map(Boolean::parseBoolean);
            }

            @Override
            public java.util.Set<String> keySet() {
                return m.keySet();
            }
        };
    }

    @HardEditCases(cases = "a.json", methods = "c-rome", pplBound = "x2")
    static final class Annotated {}

    @Test
    void annotationBeatsSystemPropertyBeatsConfigurationBeatsDefault() {
        Map<String, String> m = new HashMap<>(Map.of("hardedit.methods", "memit", "hardedit.ppl.bound", "abs:9",
                "hardedit.threshold.locality", "0.7", "hardedit.mode", "sequential"));
        System.setProperty("hardedit.mode", "verify");
        try {
            HardEditConfiguration c = new ConfigurationResolver(params(m)).resolve(Annotated.class.getAnnotation(HardEditCases.class));
            assertThat(c.methods()).containsExactly("c-rome");
            assertThat(c.pplBound().toString()).isEqualTo("×2");
            assertThat(c.mode()).isEqualTo(Mode.VERIFY);
            assertThat(c.locality()).isEqualTo(0.7);
            assertThat(c.efficacy()).isEqualTo(1.0);
            assertThat(c.model()).isEqualTo("bundled");
        } finally {
            System.clearProperty("hardedit.mode");
        }
    }

    /**
     * {@code hardedit.hparams.profile} reaches the editor factory with the overrides, under the
     * catalog's selector key, and the catalog then loads that profile's file; no key, no selector.
     * Rules out the key being read but dropped (a "seed" run silently running the reference files).
     */
    @Test
    void hparamsProfileTravelsToTheCatalog() {
        HardEditConfiguration seed = new ConfigurationResolver(params(Map.of("hardedit.hparams.profile", "seed",
                "hardedit.hparams.overrides", "v_lr=0.25"))).resolve(null);
        assertThat(seed.editorOverrides()).containsEntry(
                io.github.editunit.framework.editing.HyperparameterCatalog.PROFILE, "seed").containsEntry("v_lr", "0.25");
        assertThat(io.github.editunit.framework.editing.HyperparameterCatalog.load("rome", "gpt2-xl",
                seed.editorOverrides()).get("mom2_adjustment").asBoolean()).isFalse();
        HardEditConfiguration none = new ConfigurationResolver(params(Map.of())).resolve(null);
        assertThat(none.editorOverrides()).doesNotContainKey(
                io.github.editunit.framework.editing.HyperparameterCatalog.PROFILE);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new ConfigurationResolver(params(Map.of("hardedit.ppl.bound", "lots"))).resolve(null))
                .hasMessageContaining("hardedit.ppl.bound");
    }

    /**
     * The statistics keys are checked before any model loads, each problem naming its key (rules out a bad
     * sampling silently falling back to "first", and a missing .npz found only when the edit needs C).
     */
    @Test
    void statisticsKeysAreCheckedAndNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path npz = java.nio.file.Files.writeString(tmp.resolve("c_proj_3.npz"), "x");
        ConfigurationResolver ok = new ConfigurationResolver(params(Map.of("hardedit.stats.file", "3=" + npz,
                "hardedit.stats.sample", "random:7")));
        HardEditConfiguration c = ok.resolve(null);
        assertThat(c.statsFile()).isEqualTo("3=" + npz);
        assertThat(c.statsSample()).isEqualTo("random:7");
        assertThat(ok.problems(null, c)).noneMatch(p -> p.contains("hardedit.stats"));
        assertThat(new ConfigurationResolver(params(Map.of())).resolve(null).statsSample()).isEqualTo("first");

        ConfigurationResolver bad = new ConfigurationResolver(params(Map.of("hardedit.stats.file",
                tmp.resolve("transformer.h.2.mlp.c_proj_float32_mom2_9.npz") + "," + npz,
                "hardedit.stats.sample", "sometimes")));
        java.util.List<String> problems = bad.problems(null, bad.resolve(null));
        assertThat(problems).anyMatch(p -> p.startsWith("hardedit.stats.sample") && p.contains("'sometimes'"));
        assertThat(problems).anyMatch(p -> p.startsWith("hardedit.stats.file") && p.contains("c_proj_3.npz")
                && p.contains("L=FILE"));
        ConfigurationResolver missing = new ConfigurationResolver(params(Map.of("hardedit.stats.file",
                tmp.resolve("transformer.h.2.mlp.c_proj_float32_mom2_9.npz").toString())));
        assertThat(missing.problems(null, missing.resolve(null))).anyMatch(p -> p.contains("hardedit.stats.file")
                && p.contains("transformer.h.2.mlp.c_proj_float32_mom2_9.npz"));
    }

    @Test
    void shardsPartitionDeterministically() {
        int n = 200;
        int[] owners = new int[n];
        for (int s = 0; s < 3; s++) {
            Shard shard = new Shard(s, 3);
            for (int i = 0; i < n; i++) {
                if (shard.owns("cases.json#" + i)) {
                    owners[i]++;
                }
            }
        }
        assertThat(IntStream.of(owners).allMatch(o -> o == 1)).isTrue();
        assertThat(Shard.parse("1/4")).isEqualTo(new Shard(1, 4));
        assertThat(Shard.fromEnvironment(Map.of("CI_NODE_INDEX", "2", "CI_NODE_TOTAL", "3"))).isEqualTo(new Shard(1, 3));
        assertThat(Shard.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "0", "JOB_COMPLETIONS", "2"))).isEqualTo(new Shard(0, 2));
        assertThat(Shard.fromEnvironment(Map.of("BUILDKITE_PARALLEL_JOB", "3", "BUILDKITE_PARALLEL_JOB_COUNT", "4")))
                .isEqualTo(new Shard(3, 4));
        assertThat(Shard.fromEnvironment(Map.of())).isEqualTo(Shard.ALL);
        assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("0 <= INDEX < COUNT");
    }
}
