package io.github.editunit.framework.editing;

import io.github.editunit.framework.model.LanguageModel;
import java.util.List;

/**
 * A knowledge-editing method. {@link #apply} changes the model's weights in place and returns
 * the outcome, which is also the handle that undoes the edit. If anything throws while
 * editing, the weights are restored before the exception leaves {@code apply}.
 */
public interface Editor {

    /** Method name as used on the command line, e.g. {@code rome}, {@code c-rome}, {@code memit}. */
    String method();

    /**
     * Applies all requests as one batch edit (single-edit methods such as ROME apply them one
     * after another within the same outcome).
     */
    EditOutcome apply(LanguageModel model, List<EditRequest> requests);

    default EditOutcome apply(LanguageModel model, EditRequest request) {
        return apply(model, List.of(request));
    }
}
