package dev.stagegate.cli;

import java.util.List;

/**
 * How a program run by a test ended: its exit status and everything it printed, stdout and
 * stderr merged in order (a push's {@code remote:} lines arrive on stderr).
 */
record ProgramResult(List<String> command, int exitCode, String output) {

    /** What the server's hooks printed during a push, without git's {@code remote: } prefix. */
    List<String> remoteLines() {
        return output.lines()
                .filter(line -> line.startsWith("remote: "))
                .map(line -> line.substring("remote: ".length()).stripTrailing())
                .toList();
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
    }
}
