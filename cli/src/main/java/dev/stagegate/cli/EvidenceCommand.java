package dev.stagegate.cli;

import picocli.CommandLine.Command;

/** {@code stagegate evidence}: groups the commands that record and show test evidence. */
@Command(name = "evidence", description = "Records and lists test evidence (git notes under the policy's notes ref).",
        footer = {"", "Exit status: see the --help of each command."})
final class EvidenceCommand {
}
