package dev.stagegate.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: stack traces of internal errors are for maintainers, so only on request. */
final class DebugOption {

    static final String NAME = "--debug";

    @Option(names = NAME, description = "Print the stack trace of an internal error.")
    private boolean enabled;

    boolean enabled() {
        return enabled;
    }
}
