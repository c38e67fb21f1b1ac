package dev.stagegate.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of the command gets from its process: streams, environment and working
 * directory. Tests pass their own so that commands run in-process.
 */
public record Invocation(
        InputStream stdin,
        PrintStream stdout,
        PrintStream stderr,
        Map<String, String> environment,
        Path workingDirectory) {

    /** Fixes the clock for tests and the demo, as an ISO-8601 instant. */
    static final String NOW_VARIABLE = "STAGEGATE_NOW";

    public Invocation {
        environment = Map.copyOf(environment);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    public static Invocation ofProcess() {
        return new Invocation(System.in, System.out, System.err, System.getenv(), Path.of(""));
    }

    /** A non-empty environment variable. */
    Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isEmpty());
    }

    /** A path given on the command line, taken relative to the working directory. */
    Path resolve(Path path) {
        return workingDirectory.resolve(path).normalize();
    }

    /** The time freezes and evidence age are judged at: {@value #NOW_VARIABLE} if set, else now in UTC. */
    Clock clock() {
        Optional<String> now = variable(NOW_VARIABLE);
        if (now.isEmpty()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(now.get()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new UsageException(NOW_VARIABLE + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, not '"
                    + now.get() + "'");
        }
    }
}
