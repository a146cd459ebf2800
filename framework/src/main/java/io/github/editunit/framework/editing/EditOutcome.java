package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.WeightSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an edit and the handle that undoes it. {@link #restore()} writes the pre-edit
 * weights back bit-exactly and verifies the weights hash; closing the outcome restores too
 * (use try-with-resources for "edit, measure, undo"). Call {@link #keep()} to make the edit
 * permanent (sequential editing).
 */
public final class EditOutcome implements AutoCloseable {

    private final String method;
    private final List<EditRequest> requests;
    private final LanguageModel model;
    private final WeightSnapshot before;
    private final String hashBefore;
    private final String hashAfter;
    private final EditDiagnostics diagnostics;
    private final double seconds;
    private boolean restored;
    private boolean kept;
    private String evaluationPrefix;

    public EditOutcome(String method, List<EditRequest> requests, LanguageModel model, WeightSnapshot before,
            String hashBefore, EditDiagnostics diagnostics, double seconds) {
        this.method = method;
        this.requests = List.copyOf(requests);
        this.model = model;
        this.before = before;
        this.hashBefore = hashBefore;
        this.hashAfter = model.parameters().contentHash();
        this.diagnostics = diagnostics;
        this.seconds = seconds;
        if (model.hasTokenizer() && diagnostics != null) {
            diagnostics.bos(model.tokenizer().addsBos(), model.tokenizer().bosToken());
        }
    }

    public String method() {
        return method;
    }

    public List<EditRequest> requests() {
        return requests;
    }

    public EditDiagnostics diagnostics() {
        return diagnostics;
    }

    /** Wall time of the edit, in seconds. */
    public double seconds() {
        return seconds;
    }

    public String hashBefore() {
        return hashBefore;
    }

    public String hashAfter() {
        return hashAfter;
    }

    /**
     * The context template (e.g. {@code "Some text. {}"}) to prepend to the rewrite prompt when
     * measuring efficacy with a test-time prefix, or null when the method has none.
     */
    public String evaluationPrefix() {
        return evaluationPrefix;
    }

    public EditOutcome withEvaluationPrefix(String template) {
        this.evaluationPrefix = template;
        return this;
    }

    /** Names of the tensors the edit changed. */
    public java.util.Set<String> changedTensors() {
        return before.names();
    }

    /** The current (edited) values of the changed tensors. */
    public Map<String, float[]> editedValues() {
        Map<String, float[]> d = new LinkedHashMap<>();
        for (String n : before.names()) {
            d.put(n, model.parameters().floats(n));
        }
        return d;
    }

    /**
     * Restores the pre-edit weights bit-exactly.
     *
     * @return whether the weights hash after restoring equals the hash before the edit
     */
    public boolean restore() {
        if (!restored) {
            model.parameters().restore(before);
            restored = true;
        }
        return model.parameters().contentHash().equals(hashBefore);
    }

    public boolean isRestored() {
        return restored;
    }

    /** Makes the edit permanent: closing will no longer restore. */
    public EditOutcome keep() {
        kept = true;
        return this;
    }

    @Override
    public void close() {
        if (!kept && !restored) {
            restore();
        }
    }
}
