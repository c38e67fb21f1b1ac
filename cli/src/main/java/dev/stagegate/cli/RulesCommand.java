package dev.stagegate.cli;

import picocli.CommandLine.Command;

/** {@code stagegate rules}: groups the commands for writing custom rules (rules-cel.md). */
@Command(name = "rules", description = "Helps write the policy's custom rules (rules:): evaluates them on a file.",
        footer = {"", "Exit status: see the --help of each command."})
final class RulesCommand {
}
