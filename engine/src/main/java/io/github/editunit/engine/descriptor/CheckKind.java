package io.github.editunit.engine.descriptor;

/** The checks run for every case (knowledge-retained only when canaries are configured). */
public enum CheckKind {
    EFFICACY("efficacy"),
    GENERALISATION("generalisation"),
    LOCALITY("locality"),
    NON_COLLAPSE("non-collapse"),
    /** Knowledge canaries ({@code hardedit.canary.source}): only when configured. */
    KNOWLEDGE("knowledge-retained");

    private final String id;

    CheckKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
