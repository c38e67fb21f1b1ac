package dev.stagegate.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}: stack traces of internal errors are for maintainers, so only on request.
 * Main's failure handler finds it in the parse result; pre-receive, which handles its own
 * failures, asks it directly.
 */
final class DebugOption {

    static final String NAME = "--debug";

    @Option(names = NAME, description = "Print the stack trace of an internal error.")
    private boolean enabled;

    boolean enabled() {
        return enabled;
    }
}
