package dev.stagegate.cli;

import picocli.CommandLine.Command;

/** {@code stagegate hook}: groups the commands that manage the server-side hook. */
@Command(name = "hook", description = "Manages the pre-receive hook of a repository on the Git server.",
        footer = {"", "Exit status: see the --help of each command."})
final class HookCommand {
}
