package dev.stagegate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stagegate hook serve}: runs the resident hook server in the foreground until it is
 * stopped (SIGTERM), the jar it runs is replaced, or a judgement overruns its deadline. Hooks
 * installed with {@code hook install --server DIR} start it themselves when it is not running;
 * a service manager can run it instead.
 */
@Command(name = "serve",
        description = {
            "Runs the resident hook server that hooks installed with 'hook install --server DIR' ask first.",
            "It keeps classes and pack indexes loaded between pushes; the hook judges a push itself whenever "
                    + "the server is not running, so stopping it never lets a push through."
        })
final class HookServeCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "Server directory: the lock, the endpoint file (port and secret) and the log live here; "
                    + "created owner-only when missing.")
    private Path directory;

    @Option(names = "--threads", paramLabel = "N",
            description = "Pushes judged at once (default: twice the processors, at least 4).")
    private Integer threads;

    @Option(names = "--log-requests", description = "Log one line per push judged (to standard error).")
    private boolean logRequests;

    HookServeCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws Exception {
        int workers = threads != null ? threads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        if (workers < 1) {
            throw new UsageException("--threads must be at least 1");
        }
        Path serverDirectory = invocation.resolve(directory);
        Optional<Path> jar = HookInstallCommand.codeSource().filter(Files::isRegularFile);
        Optional<HookServer> started = HookServer.start(serverDirectory, jar, workers, invocation.stderr(), logRequests, engines);
        if (started.isEmpty()) {
            invocation.stderr().println("stagegate hook server: another server already runs in " + serverDirectory);
            return 0;
        }
        HookServer server = started.get();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stagegate-server-stop"));
        server.serve();
        server.close();
        server.awaitAnswers(PreReceiveCommand.DEFAULT_DEADLINE.toSeconds() + 2, TimeUnit.SECONDS);
        return 0;
    }
}
