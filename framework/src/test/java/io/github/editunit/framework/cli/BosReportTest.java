package io.github.editunit.framework.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.tokenizer.BosFixtures;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports say whether a BOS was added: {@code edit --json} (summary, each case and its
 * diagnostics), {@code model-info} and {@code ppl --json}, for the bundled model (no BOS) and the same
 * weights behind a tokenizer that adds one.
 */
class BosReportTest {

    @TempDir
    static Path tmp;

    static Path bosModel;

    @BeforeAll
    static void copy() throws Exception {
        bosModel = tmp.resolve("editunit-tiny-bos");
        BosFixtures.bundledWithBos(bosModel);
    }

    private static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.execute(args);
        assertThat(r.rc()).as("exit code of %s", String.join(" ", args)).isZero();
        return r.json();
    }

    private static String suite(String name) {
        return BundledModels.tiny().resolve("suites").resolve(name).toString();
    }

    @Test
    void editJsonRecordsWhetherABosWasAdded() throws Exception {
        for (String model : new String[] {"bundled", bosModel.toString()}) {
            boolean withBos = !model.equals("bundled");
            JsonNode doc = json("edit", "--model", model, "--cases", suite("single-edit.json"), "--method", "ft-l",
                    "--limit", "1", "--no-ppl", "--set", "num_steps=2", "--json");
            JsonNode s = doc.get("summary");
            assertThat(s.get("bos").asBoolean()).as(model).isEqualTo(withBos);
            assertThat(s.get("bosToken").isNull()).isEqualTo(!withBos);
            JsonNode c = doc.get("cases").get(0);
            assertThat(c.get("bos").asBoolean()).isEqualTo(withBos);
            assertThat(c.get("diagnostics").get("bos").asBoolean()).isEqualTo(withBos);
            if (withBos) {
                assertThat(s.get("bosToken").asText()).isEqualTo("<|endoftext|>");
                assertThat(c.get("diagnostics").get("bosToken").asText()).isEqualTo("<|endoftext|>");
            }
            assertThat(s.get("weightsRestored").asBoolean()).isTrue();
        }
    }

    @Test
    void modelInfoAndPerplexitySayWhetherABosIsAdded() throws Exception {
        JsonNode plain = json("model-info", "--model", "bundled", "--json");
        assertThat(plain.get("bos").asBoolean()).isFalse();
        assertThat(plain.get("bosToken").isNull()).isTrue();
        JsonNode bos = json("model-info", "--model", bosModel.toString(), "--json");
        assertThat(bos.get("bos").asBoolean()).isTrue();
        assertThat(bos.get("bosToken").asText()).isEqualTo("<|endoftext|>");
        assertThat(bos.get("bosFrom").asText()).contains("post_processor");
        // the existing fields are still there, under their names
        assertThat(bos.get("weightsHash").asText()).isEqualTo(plain.get("weightsHash").asText());

        String corpus = suite("heldout-ppl.json");
        JsonNode pp = json("ppl", "--model", "bundled", "--corpus", corpus, "--limit", "5", "--json");
        JsonNode pb = json("ppl", "--model", bosModel.toString(), "--corpus", corpus, "--limit", "5", "--json");
        assertThat(pp.get("bos").asBoolean()).isFalse();
        assertThat(pb.get("bos").asBoolean()).isTrue();
        // with the BOS every text token of the 5 sentences is scored, without it all but each first one
        assertThat(pb.get("tokens").asLong()).isEqualTo(pp.get("tokens").asLong() + 5);
    }
}
