package dev.stagegate.cli;

import dev.stagegate.cli.server.HookProtocol;
import dev.stagegate.cli.server.HookServer;
import dev.stagegate.cli.server.ServerDirectory;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
        },
        footer = {
            "",
            "Exit status: 0 the server stopped, or another one already serves the directory, 2 usage error (a "
                    + "directory other accounts could change), 3 the server failed."
        })
final class HookServeCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "Server directory: its socket, lock and log live here. Created mode 0700 when missing; "
                    + "the server only runs in a directory of its own account that no other account can enter.")
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
        ServerDirectory serverDirectory = ServerDirectory.at(invocation.resolve(directory));
        Optional<Path> jar = HookInstallCommand.codeSource().filter(Files::isRegularFile);
        Optional<HookServer> started;
        try {
            started = HookServer.start(serverDirectory, jar, workers, invocation.stderr(), logRequests,
                    new PreReceiveJudge(engines));
        } catch (HookServer.UntrustedDirectoryException e) {
            throw new UsageException("refusing to serve from " + serverDirectory.path() + ": " + e.getMessage());
        }
        if (started.isEmpty()) {
            invocation.stderr().println("stagegate hook serve: another server already runs in " + serverDirectory.path());
            return 0;
        }
        HookServer server = started.get();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stagegate-server-stop"));
        server.serve();
        server.close();
        server.awaitAnswers(PreReceiveCommand.DEFAULT_DEADLINE.toSeconds() + 2, TimeUnit.SECONDS);
        return 0;
    }

    /**
     * Each push as the hook would judge it: {@code stagegate pre-receive} with the hook's
     * arguments, environment, working directory and stdin, never longer than the hook waits.
     */
    static final class PreReceiveJudge implements HookServer.Judge {

        private final Function<Clock, Engine> engines;

        PreReceiveJudge(Function<Clock, Engine> engines) {
            this.engines = engines;
        }

        @Override
        public int judge(HookProtocol.Request request, PrintStream output) {
            Invocation invocation = new Invocation(new ByteArrayInputStream(request.stdin()), output, output,
                    request.environment(), request.workingDirectory());
            List<String> arguments = new ArrayList<>();
            arguments.add("pre-receive");
            arguments.addAll(request.arguments());
            arguments.add("--deadline-cap");
            arguments.add(DurationConverter.format(request.deadline()));
            return new Main(invocation, engines).run(arguments.toArray(String[]::new));
        }

        @Override
        public boolean anyOverrunStillRunning() {
            return OverrunJudgements.anyStillRunning();
        }
    }
}
