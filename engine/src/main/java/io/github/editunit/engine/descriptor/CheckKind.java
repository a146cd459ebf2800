package io.github.editunit.engine.descriptor;

/** The checks run for every case. */
public enum CheckKind {
    EFFICACY("efficacy"),
    GENERALISATION("generalisation"),
    LOCALITY("locality"),
    NON_COLLAPSE("non-collapse");

    private final String id;

    CheckKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
