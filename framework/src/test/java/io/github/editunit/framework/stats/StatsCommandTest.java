package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.cli.StatsCommand;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.tokenizer.BpeTrainer;
import io.github.editunit.framework.tokenizer.TextTokenizer;
import io.github.editunit.framework.tokenizer.TokenizerFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code editunit stats} on a tiny saved model with a trained tokenizer. */
class StatsCommandTest {

    @TempDir
    static Path root;
    static Path modelDir;

    @BeforeAll
    static void saveModel() throws Exception {
        modelDir = root.resolve("model");
        Files.createDirectories(modelDir);
        List<String> texts = texts(200);
        TokenizerFiles.write(new BpeTrainer(300).train(texts).vocabulary(), modelDir, 32);
        int vocab;
        int eos;
        try (TextTokenizer tok = TextTokenizer.load(modelDir)) {
            vocab = tok.vocabSize();
            eos = tok.eosId();
        }
        ModelConfig config = new ModelConfig("gpt2", vocab, 32, 16, 2, 4, 24, 1e-5, "gelu_new", eos);
        try (LanguageModel m = LanguageModel.random(config, 5, null, Device.cpu())) {
            ModelFiles.save(m, modelDir, Map.of(), null);
        }
        Files.write(modelDir.resolve(StatsCommand.DEFAULT_CORPUS), texts.subList(0, 40));
    }

    static List<String> texts(int n) {
        String[] words = {"the", "cat", "river", "king", "walked", "to", "a", "market", "found", "map", "blue", "door"};
        Random r = new Random(1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 3 + r.nextInt(30);
            for (int w = 0; w < len; w++) {
                sb.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            out.add(sb.append('.').toString());
        }
        return out;
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(new StatsCommand());
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void computesThenReusesTheCacheAndPrintsJsonOnly() throws Exception {
        Path cache = root.resolve("cache1");
        String[] args = {"--model", modelDir.toString(), "--layers", "0,1", "--samples", "30",
            "--cache-dir", cache.toString(), "--json"};
        Run first = run(args);
        assertThat(first.code()).as(first.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(first.out());
        assertThat(j.get("layers")).hasSize(2);
        for (JsonNode layer : j.get("layers")) {
            assertThat(layer.get("fromCache").asBoolean()).isFalse();
            assertThat(layer.get("samples").asInt()).isEqualTo(30);
            assertThat(layer.get("tokens").asLong()).isPositive();
            assertThat(layer.get("trace").asDouble()).isPositive();
            assertThat(layer.get("conditionEstimate").asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(Path.of(layer.get("file").asText())).isRegularFile().startsWith(cache);
        }
        Run second = run(args);
        assertThat(second.code()).isZero();
        JsonNode j2 = new ObjectMapper().readTree(second.out());
        assertThat(j2.get("layers").get(1).get("fromCache").asBoolean()).isTrue();
        assertThat(j2.get("layers").get(1).get("trace").asDouble()).isEqualTo(j.get("layers").get(1).get("trace").asDouble());
    }

    @Test
    void missingCorpusIsAClearError() throws Exception {
        Path bare = root.resolve("bare");
        Files.createDirectories(bare);
        for (Path f : Files.list(modelDir).toList()) {
            if (!f.getFileName().toString().equals(StatsCommand.DEFAULT_CORPUS)) {
                Files.copy(f, bare.resolve(f.getFileName()));
            }
        }
        Run r = run("--model", bare.toString(), "--layers", "0", "--cache-dir", root.resolve("cache2").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--corpus").contains(StatsCommand.DEFAULT_CORPUS);
        assertThat(r.out()).isEmpty();
    }
}
