package io.github.editunit.framework.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import io.github.editunit.framework.storage.StagedDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one of the eager-PyTorch peer scripts (resources next to this class) in a Python with {@code torch}: the
 * model's weights (and any extra tensors) go to a temporary safetensors file, the job to a JSON file, and the
 * script's JSON answer on stdout is read back; its stderr goes to ours. Never a dependency of the product: only
 * the benchmarks' {@code --peer} options start it.
 */
final class PeerProcess {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Every peer script; all are copied, since a peer may import another ({@code peer_rome.py} the forward). */
    private static final List<String> SCRIPTS = List.of("peer_forward.py", "peer_rome.py");

    private PeerProcess() {}

    /**
     * Runs {@code script} on {@code model}'s weights.
     *
     * @param extra float64 arrays (name → values) for the script, each written raw (little-endian) to
     *     {@code NAME.f64} beside the weights; the job names the files under {@code "f64Files"}
     */
    static JsonNode run(LanguageModel model, String script, Map<String, Object> job, Map<String, double[]> extra)
            throws IOException, InterruptedException {
        if (!model.architecture().name().equals("gpt2")) {
            throw new IllegalArgumentException("the peers implement GPT-2 only, not " + model.architecture().name());
        }
        String python = PeerForward.python();
        Path dir = Files.createTempDirectory("editunit-peer");
        try {
            Path weights = dir.resolve("weights.safetensors");
            SafetensorsWriter w = new SafetensorsWriter();
            for (String n : model.parameters().names()) {
                w.add(n, model.parameters().get(n), DType.F32);
            }
            w.write(weights);
            Map<String, Object> files = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : extra.entrySet()) {
                Path f = dir.resolve(e.getKey() + ".f64");
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(e.getValue().length * Double.BYTES)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asDoubleBuffer().put(e.getValue());
                Files.write(f, b.array());
                files.put(e.getKey(), f.toString());
            }
            Map<String, Object> withFiles = new java.util.LinkedHashMap<>(job);
            withFiles.put("f64Files", files);
            Path input = dir.resolve("input.json");
            MAPPER.writeValue(input.toFile(), withFiles);
            for (String s : SCRIPTS) {
                try (InputStream in = PeerProcess.class.getResourceAsStream(s)) {
                    if (in == null) {
                        throw new IllegalStateException(s + " is missing from the classpath");
                    }
                    Files.copy(in, dir.resolve(s));
                }
            }
            Process p = new ProcessBuilder(python, dir.resolve(script).toString(), weights.toString(), input.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("the peer (" + python + " " + script + ") exited with " + rc);
            }
            JsonNode r = MAPPER.readTree(out);
            return ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("python", python);
        } finally {
            StagedDirectory.deleteRecursively(dir);
        }
    }
}
