package dev.stagegate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Runs the stagegate command inside the test's JVM, with its own streams, environment and engine. */
final class InProcessStagegate {

    /** What one run printed and returned. */
    record Run(int status, String stdout, String stderr) {
    }

    private final Map<String, String> environment = new HashMap<>();
    private final AtomicReference<Clock> clockSeen = new AtomicReference<>();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private String stdin = "";
    private Engine engine;

    InProcessStagegate(Engine engine) {
        this.engine = engine;
    }

    InProcessStagegate in(Path directory) {
        workingDirectory = directory;
        return this;
    }

    InProcessStagegate env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    InProcessStagegate stdin(String text) {
        stdin = text;
        return this;
    }

    /** The clock the last run handed to the engine. */
    Clock clockSeen() {
        return clockSeen.get();
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Invocation invocation = new Invocation(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                environment,
                workingDirectory);
        int status = new Main(invocation, clock -> {
            clockSeen.set(clock);
            return engine;
        }).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
