package io.github.editunit.framework.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The eager-PyTorch peer of the forward benchmark: {@code peer_forward.py} (a resource next to this
 * class, written from the GPT-2 equations) runs the same weights on the same token batches with the
 * same thread count under {@code torch.inference_mode()}, in a Python 3 with {@code torch} (Debian's
 * {@code python3-torch}). The weights go to a temporary safetensors file, the batches and settings to
 * a JSON file; the script's JSON answer is read back. Never a dependency of the product: only
 * {@code ./editunit bench --peer} starts it.
 */
public final class PeerForward {

    /** Environment variable naming the Python interpreter to use (default: python3, then /usr/bin/python3). */
    public static final String PYTHON_ENV = "EDITUNIT_PYTHON";

    /** How to get the peer's dependencies, for error messages. */
    public static final String INSTALL_HINT = "install Debian's PyTorch with `apt-get install -y python3-torch` "
            + "(and `apt-get install -y libopenblas0-pthread` for a fast BLAS; the reference BLAS is ~20x slower), "
            + "or point " + PYTHON_ENV + " at a Python 3 that can `import torch`";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The peer's answer.
     *
     * @param torch torch version
     * @param blas BLAS libraries the peer process loaded
     * @param threads torch intra-op threads
     * @param mode {@code scored} or {@code full}
     * @param runSeconds wall time of each timed pass over all batches
     * @param bestSeconds fastest pass
     * @param ppl ME-PPL (mean of per-sentence perplexities)
     * @param tokens scored tokens
     * @param python the interpreter used
     */
    public record Result(String torch, List<String> blas, String openblasCoretype, int threads, String mode,
            List<Double> runSeconds, double bestSeconds, double ppl, long tokens, String python) {}

    private PeerForward() {}

    /** A Python interpreter that can import torch. */
    public static String python() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv(PYTHON_ENV);
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        } else {
            candidates.add("python3");
            candidates.add("/usr/bin/python3"); // Debian's python3-torch installs for the system Python
        }
        List<String> tried = new ArrayList<>();
        for (String py : candidates) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return py;
                }
                tried.add(py + " (no torch module)");
            } catch (IOException e) {
                tried.add(py + " (not found)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking for Python", e);
            }
        }
        throw new IllegalStateException("--peer needs Python 3 with PyTorch; tried " + String.join(", ", tried)
                + ". To fix: " + INSTALL_HINT);
    }

    /**
     * Runs the peer on {@code model}'s weights and {@code batches} (each a list of rows, each row one or more
     * sequences packed one after another, as {@code Perplexity.packedBatches} gives them).
     *
     * @param mode {@code scored} (LM head on the scored rows, as EditUnit) or {@code full} (logits
     *     of every position and a log-softmax)
     */
    public static Result run(LanguageModel model, List<List<List<int[]>>> batches, int padId, int threads, int repeat,
            String mode) throws IOException, InterruptedException {
        ModelConfig c = model.config();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("config", Map.of("layers", c.layers(), "heads", c.heads(), "width", c.width(),
                "eps", c.layerNormEpsilon()));
        job.put("batches", batches);
        job.put("padId", padId);
        job.put("threads", threads);
        job.put("repeat", repeat);
        job.put("mode", mode);
        JsonNode r = PeerProcess.run(model, "peer_forward.py", job, Map.of());
        List<Double> runs = new ArrayList<>();
        r.get("runSeconds").forEach(x -> runs.add(x.asDouble()));
        List<String> blas = new ArrayList<>();
        r.get("blas").forEach(x -> blas.add(x.asText()));
        JsonNode core = r.get("openblasCoretype");
        return new Result(r.get("torch").asText(), blas, core == null || core.isNull() ? null : core.asText(),
                r.get("threads").asInt(), r.get("mode").asText(), runs, r.get("bestSeconds").asDouble(),
                r.get("ppl").asDouble(), r.get("tokens").asLong(), r.get("python").asText());
    }
}
