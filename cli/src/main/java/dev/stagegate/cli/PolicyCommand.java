package dev.stagegate.cli;

import picocli.CommandLine.Command;

/** {@code stagegate policy}: groups the commands that work on the policy itself. */
@Command(name = "policy", description = "Works on the policy itself: runs its test cases.",
        footer = {"", "Exit status: see the --help of each command."})
final class PolicyCommand {
}
