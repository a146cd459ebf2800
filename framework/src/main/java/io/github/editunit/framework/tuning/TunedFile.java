package io.github.editunit.framework.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.editunit.framework.editing.HyperparameterCatalog;
import io.github.editunit.framework.storage.AtomicFiles;
import io.github.editunit.hardedit.cases.EditCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;


/**
 * The hyperparameter file {@code editunit tune} writes: the starting file with the chosen settings applied, a
 * {@code _source} line, and {@code _provenance} — tool, date, method, model, case file, split (ids), search space,
 * every trial, the start's and the choice's held-out scores, why the search stopped. The catalog reads the file
 * like any other ({@code _}-prefixed keys are ignored).
 */
public final class TunedFile {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a tuning run measured. */
    public record Run(String method, String model, String weightsHash, String casesFile, String startOrigin, CaseSplit split,
            SearchSpace space, int tracedPeak, CoordinateSearch.Outcome search, TrialResult startHeldout,
            TrialResult bestHeldout, double pplLimit, double maxOverShare, String date) {}

    private TunedFile() {}

    /** The file's content: {@code start} (not modified) with the best settings and the provenance. */
    public static ObjectNode content(ObjectNode start, Run run) {
        ObjectNode node = start.deepCopy();
        run.search().best().settings().forEach((k, v) -> node.set(k, HyperparameterCatalog.overrideValue(v)));
        node.put("_source", String.format(Locale.ROOT, "editunit tune %s on %s, %s: held-out ES %.3f PS %.3f NS %.3f "
                + "(start: %s)", run.method(), run.model(), run.date(), run.bestHeldout().es(), run.bestHeldout().ps(),
                run.bestHeldout().ns(), run.startHeldout().error() != null ? "could not run"
                        : String.format(Locale.ROOT, "ES %.3f", run.startHeldout().es())));
        ObjectNode p = node.putObject("_provenance");
        p.put("tool", "editunit tune");
        p.put("date", run.date());
        p.put("method", run.method());
        p.put("model", run.model());
        p.put("weightsHash", run.weightsHash());
        p.put("cases", run.casesFile());
        p.put("start", run.startOrigin());
        ObjectNode split = p.putObject("split");
        split.put("seed", run.split().seed());
        split.set("tune", ids(run.split().tune()));
        split.set("heldout", ids(run.split().heldout()));
        ObjectNode space = p.putObject("searchSpace");
        run.space().dimensions().forEach((k, v) -> {
            ArrayNode a = space.putArray(k);
            v.forEach(a::add);
        });
        if (run.tracedPeak() >= 0) {
            p.put("tracedMlpPeakLayer", run.tracedPeak());
        }
        p.put("objective", "harmonic mean of ES, PS, NS on the tuning cases; settings where more than "
                + run.maxOverShare() + " of the edits moved perplexity past ×" + run.pplLimit() + " are not chosen");
        ArrayNode trials = p.putArray("trials");
        run.search().trials().forEach(t -> trials.add(scores(t)));
        p.put("stopped", run.search().stopped());
        p.set("startHeldout", scores(run.startHeldout()));
        p.set("bestHeldout", scores(run.bestHeldout()));
        return node;
    }

    public static void write(Path file, ObjectNode content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFiles.writeString(file, JSON.writeValueAsString(content) + "\n");
    }

    static ObjectNode scores(TrialResult t) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode s = o.putObject("settings");
        t.settings().forEach(s::put);
        o.put("cases", t.cases());
        put(o, "es", t.es());
        put(o, "ps", t.ps());
        put(o, "ns", t.ns());
        put(o, "score", t.score());
        put(o, "pplOverShare", t.pplOverShare());
        put(o, "medianPplRatio", t.medianPplRatio());
        put(o, "seconds", t.seconds());
        if (t.error() != null) {
            o.put("error", t.error());
        }
        return o;
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    private static ArrayNode ids(List<EditCase> cases) {
        ArrayNode a = JSON.createArrayNode();
        cases.forEach(c -> a.add(c.caseId()));
        return a;
    }

}
