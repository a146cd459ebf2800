package io.github.editunit.framework.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.editing.EditRequest;
import io.github.editunit.framework.editing.KeyCovariance;
import io.github.editunit.framework.editing.RomeEditor;
import io.github.editunit.framework.editing.ValueOptimizer;
import io.github.editunit.framework.editing.Vectors;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The eager-PyTorch peer of a ROME edit ({@code peer_rome.py}, written from ROME's equations on the forward of
 * {@code peer_forward.py}): the same weights, the same second moment C, the same token ids (EditUnit's context
 * templates, prompts, subject positions and targets) and the same hyperparameters; the peer times each edit (keys,
 * value search, update, taking it back) and returns the update's two vectors, which are compared with EditUnit's
 * ({@link RomeEditor#compute}), so the peer is known to do the same edit.
 */
public final class PeerRome {

    /**
     * One case on the peer.
     *
     * @param seconds the peer's edit time
     * @param steps value-search iterations the peer ran
     * @param rightDifference ‖right_peer − right‖ / ‖right‖ against EditUnit's update
     * @param leftDifference ‖u_peer − u‖ / ‖u‖
     */
    public record Case(String id, double seconds, int steps, double rightDifference, double leftDifference) {}

    /** The peer's run. */
    public record Result(String torch, List<String> blas, int threads, String python, List<Case> cases) {}

    private PeerRome() {}

    /**
     * Runs the peer on {@code requests} (ROME, mode original) with {@code editor}'s templates and settings.
     *
     * @param c the edited layer's second moment, as the editor uses it
     */
    public static Result run(LanguageModel model, RomeEditor editor, KeyCovariance c, List<EditRequest> requests,
            int threads) throws IOException, InterruptedException {
        ModelConfig cfg = model.config();
        ValueOptimizer search = new ValueOptimizer(model);
        List<String> templates = editor.templates().templates();
        List<Map<String, Object>> cases = new ArrayList<>();
        Map<String, RomeEditor.Update> reference = new LinkedHashMap<>();
        for (EditRequest r : requests) {
            RomeEditor.KeyPrompts keys = editor.keyPrompts(model, r);
            ValueOptimizer.Prompts p = search.layout(r, templates);
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("id", r.id());
            job.put("keySequences", keys.ids());
            job.put("keyPositions", keys.positions());
            job.put("sequences", p.seqs());
            job.put("lookup", p.lookup());
            job.put("targetSequence", p.targetSeq());
            job.put("targetPosition", p.targetPos());
            job.put("targetToken", p.targetTok());
            cases.add(job);
            reference.put(r.id(), editor.compute(model, c, r));
        }
        ValueOptimizer.Settings s = editor.hyperparameters().valueSettings();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("config", Map.of("layers", cfg.layers(), "heads", cfg.heads(), "width", cfg.width(),
                "eps", cfg.layerNormEpsilon()));
        job.put("padId", model.tokenizer().eosId());
        job.put("threads", threads);
        job.put("layer", editor.hyperparameters().layer());
        job.put("settings", Map.of("steps", s.steps(), "lr", s.learningRate(), "weightDecay", s.weightDecay(),
                "kl", s.klFactor(), "clamp", s.clampNormFactor(), "earlyStop", s.earlyStopLoss()));
        job.put("cases", cases);
        job.put("covarianceDim", c.dim());
        JsonNode out = PeerProcess.run(model, "peer_rome.py", job, Map.of("covariance", c.matrix()));
        List<Case> results = new ArrayList<>();
        for (JsonNode n : out.get("cases")) {
            RomeEditor.Update u = reference.get(n.get("id").asText());
            results.add(new Case(n.get("id").asText(), n.get("seconds").asDouble(), n.get("steps").asInt(),
                    relative(vector(n.get("right")), u.right()), relative(vector(n.get("u")), u.u())));
        }
        List<String> blas = new ArrayList<>();
        out.get("blas").forEach(x -> blas.add(x.asText()));
        return new Result(out.get("torch").asText(), blas, out.get("threads").asInt(), out.get("python").asText(),
                results);
    }

    private static double[] vector(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static double relative(double[] peer, double[] ours) {
        return Vectors.norm(Vectors.sub(peer, ours)) / Math.max(Vectors.norm(ours), 1e-30);
    }
}
