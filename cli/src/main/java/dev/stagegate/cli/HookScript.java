package dev.stagegate.cli;

import dev.stagegate.cli.server.HookShell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX sh pre-receive hook that {@code hook install} writes: it {@code exec}s the JVM
 * on the copied jar, so git talks to stagegate directly (stdin, exit status, output).
 *
 * @param java           absolute path of the java executable found at install time
 * @param jvmOptions     start-up flags for the JVM
 * @param jar            absolute path of the jar the hook runs
 * @param hookArguments  options passed on to {@code stagegate pre-receive}
 */
record HookScript(Path java, List<String> jvmOptions, Path jar, List<String> hookArguments) {

    HookScript {
        jvmOptions = List.copyOf(jvmOptions);
        hookArguments = List.copyOf(hookArguments);
    }

    String render() {
        List<String> command = new ArrayList<>();
        command.add("exec");
        command.add(HookShell.quote(java.toString()));
        jvmOptions.stream().map(HookShell::quote).forEach(command::add);
        command.add("-jar");
        command.add(HookShell.quote(jar.toString()));
        command.add("pre-receive");
        hookArguments.stream().map(HookShell::quote).forEach(command::add);
        return "#!/bin/sh\n"
                + HookShell.MARKER + "\n"
                + "# Written by 'stagegate hook install'; run it again to change this hook rather than editing it.\n"
                + "# Git passes the pushed updates on stdin; exit status 0 accepts the push.\n"
                + String.join(" ", command) + "\n";
    }
}
