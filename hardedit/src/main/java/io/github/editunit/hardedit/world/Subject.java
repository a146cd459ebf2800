package io.github.editunit.hardedit.world;

import java.util.Objects;

/**
 * A subject of the fact world.
 *
 * @param name                 unique name; no subject name is a substring of another
 * @param kind                 what it is
 * @param firstTokenCandidate  a single-word name whose edit prompts start with it (meant to be one BPE token)
 */
public record Subject(String name, SubjectKind kind, boolean firstTokenCandidate) {

    public Subject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
