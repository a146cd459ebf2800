package io.github.editunit.framework.evaluation;

import io.github.editunit.framework.editing.EditRequest;
import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.List;

/** Maps case records to edit requests. */
public final class EditRequests {

    private EditRequests() {}

    public static EditRequest of(EditCase c) {
        return new EditRequest(c.caseId(), c.prompt(), c.subject(), c.targetNew(), c.groundTruth());
    }

    public static List<EditRequest> of(List<EditCase> cases) {
        List<EditRequest> out = new ArrayList<>(cases.size());
        for (EditCase c : cases) {
            out.add(of(c));
        }
        return out;
    }
}
