package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.LanguageModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sequential editing: each edit is kept and the next is applied on top. {@link #restoreAll()}
 * undoes them in reverse order and verifies that the weights hash is back to the start; closing
 * the sequence restores too.
 */
public final class EditSequence implements AutoCloseable {

    private final LanguageModel model;
    private final Editor editor;
    private final String startHash;
    private final List<EditOutcome> applied = new ArrayList<>();
    private boolean restored;

    public EditSequence(LanguageModel model, Editor editor) {
        this.model = model;
        this.editor = editor;
        this.startHash = model.parameters().contentHash();
    }

    /** Applies the next edit (a batch of one or more requests) and keeps it. */
    public EditOutcome apply(List<EditRequest> requests) {
        EditOutcome o = editor.apply(model, requests).keep();
        applied.add(o);
        return o;
    }

    public EditOutcome apply(EditRequest request) {
        return apply(List.of(request));
    }

    public List<EditOutcome> applied() {
        return Collections.unmodifiableList(applied);
    }

    public String startHash() {
        return startHash;
    }

    /** Undoes every edit, last first; returns whether the weights hash equals the start hash. */
    public boolean restoreAll() {
        for (int i = applied.size() - 1; i >= 0; i--) {
            applied.get(i).restore();
        }
        restored = true;
        return model.parameters().contentHash().equals(startHash);
    }

    @Override
    public void close() {
        if (!restored) {
            restoreAll();
        }
    }
}
