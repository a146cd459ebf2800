package io.github.editunit.framework.stats;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code .npz} statistics file (or one of its {@code .npy} members) that cannot be read or used:
 * corrupt zip, malformed {@code .npy} header, pickled (object) member, unsupported dtype, wrong
 * shape for the layer, non-finite value. The message names the file and, where there is one, the
 * member.
 */
public final class NpzFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String member;

    /**
     * @param file the {@code .npz} file
     * @param member the member's array name ({@code mom2.mom2}), or null for the file as a whole
     * @param message the full message; must name the file (and the member when there is one)
     */
    public NpzFormatException(Path file, String member, String message) {
        super(message);
        this.file = file;
        this.member = member;
    }

    /** "{@code problem} in member M of FILE" or "{@code problem} in FILE". */
    public static NpzFormatException of(Path file, String member, String problem) {
        return new NpzFormatException(file, member,
                problem + (member == null ? " in " + file : " in member " + member + " of " + file));
    }

    public Path file() {
        return file;
    }

    /** The member's array name, or null. */
    public String member() {
        return member;
    }
}
