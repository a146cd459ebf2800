package io.github.editunit.engine.execution;

import io.github.editunit.framework.runtime.DjlRuntime;
import io.github.editunit.reports.EditReporter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Run-wide state: shared models, the reporter, console progress; closed when the engine finishes. */
public final class RunState {

    private final EditReporter reporter;
    private final ConsoleProgress progress;
    private final ModelSessions sessions;
    private final Set<String> methods = new TreeSet<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

    public RunState(EditReporter reporter, ConsoleProgress progress) {
        this.reporter = reporter;
        this.progress = progress;
        this.sessions = new ModelSessions(progress);
    }

    public EditReporter reporter() {
        return reporter;
    }

    public ConsoleProgress progress() {
        return progress;
    }

    public ModelSessions sessions() {
        return sessions;
    }

    /** Why a case or sequence container failed in {@code before}: its {@code after} prints the reason. */
    public void failed(String uniqueId, Throwable error) {
        failures.put(uniqueId, error);
    }

    /** The failure {@link #failed} recorded for this container, removed; null if none. */
    public Throwable takeFailure(String uniqueId) {
        return failures.remove(uniqueId);
    }

    public synchronized void usedMethod(String method) {
        methods.add(method);
    }

    /** Writes the run files, prints the summary, closes the models. */
    public void finish() {
        try {
            if (!sessions.loaded().isEmpty()) {
                reporter.runFinished(environment());
            }
            progress.finish();
        } finally {
            sessions.close();
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        for (ModelSession s : sessions.loaded()) {
            String suffix = i == 0 ? "" : "." + i;
            env.put("model" + suffix, s.modelDir().toAbsolutePath().toString());
            env.put("model.hash" + suffix, s.baseHash());
            env.put("model.family" + suffix, s.model().config().modelType() + " (" + s.model().config().layers()
                    + " layers, width " + s.model().config().width() + "; " + s.model().config().describeFamily() + ")");
            env.put("device" + suffix, s.model().device().getDeviceType()
                    + (s.model().device().getDeviceId() >= 0 ? ":" + s.model().device().getDeviceId() : ""));
            if (s.model().hasTokenizer()) {
                // whether every model input starts with a BOS, and which: positions and perplexity count it
                env.put("model.bos" + suffix, s.model().tokenizer().addsBos()
                        ? "yes (" + s.model().tokenizer().bosToken() + ")" : "no");
            }
            env.put("dtype" + suffix, s.model().precision().label());
            // where each layer's C came from: published .npz (name, SHA-256, count, dtype) or computed sample
            s.statisticsProvenance().forEach((layer, p) -> env.put("statistics.layer" + layer + suffix, p));
            // which hyperparameter file (or shipped set) each method used, and where the file says it came from
            env.putAll(s.hyperparameterEnvironment(suffix));
            i++;
        }
        env.put("methods", String.join(", ", methods));
        try {
            env.put("djl", ai.djl.engine.Engine.getDjlVersion());
            env.put("pytorch", DjlRuntime.engine().getVersion());
            env.put("engine", DjlRuntime.engineDescription());
        } catch (RuntimeException e) {
            env.put("engine", "unknown: " + e.getMessage());
        }
        env.put("java", System.getProperty("java.version"));
        return env;
    }
}
