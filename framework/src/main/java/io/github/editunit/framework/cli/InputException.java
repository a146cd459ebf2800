package io.github.editunit.framework.cli;

/**
 * A bad option value or input file, found before any model loads: the command prints the message
 * and exits with {@link EditUnitCli#EXIT_USAGE}. The message names the option or file.
 */
final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
