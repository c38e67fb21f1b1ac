package dev.stagegate.cli;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.Pusher;
import dev.stagegate.engine.RepositoryOpener;
import dev.stagegate.git.HookRepository;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryConfigOnly;
import dev.stagegate.report.TextRenderer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Hook mode. Git shows both stdout and stderr of a pre-receive hook to the pusher as
 * {@code remote:} lines; the verdict goes to stdout so that its lines keep their order.
 * Every way this can go wrong ends in a non-zero status, which makes git reject the push.
 */
@Command(name = "pre-receive",
        description = {
            "Hook mode: reads '<old> <new> <ref>' lines on standard input and judges every update of the push.",
            "Exit status 0 accepts the push; any other status rejects it (fail closed)."
        },
        footer = {
            "",
            "Exit status: 0 accepted (warnings may have been printed), 1 a rule rejects an update, 2 the policy that "
                    + "governs an update cannot be loaded, or the hook is misconfigured, 3 the push cannot be judged "
                    + "(missing objects, an internal error, no verdict within the deadline)."
        })
final class PreReceiveCommand implements Callable<Integer> {

    static final String IDENTITY_ENV_VARIABLE = "STAGEGATE_IDENTITY_ENV";
    static final String DEADLINE_VARIABLE = "STAGEGATE_DEADLINE";
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(4);
    static final String AUDIT_LOG_NAME = "stagegate-audit.log";
    /** GitLab shows the pusher only the hook lines that start with this. */
    static final String GITLAB_PREFIX = "GL-HOOK-ERR: ";

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Server-managed policy; it overrides every in-repository policy.")
    private Path policyFile;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Server-managed allowed-signers file (git's format); it replaces the one every policy names "
                    + "for verifying signed records.")
    private Path allowedSignersFile;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Where audited bypasses are appended (default: " + AUDIT_LOG_NAME
                    + " in the repository's git directory).")
    private Path auditLog;

    @Option(names = "--identity-env", paramLabel = "VAR",
            description = "The one environment variable that names the pusher; default: env "
                    + IDENTITY_ENV_VARIABLE + ", else the first of STAGEGATE_USER, GITHUB_USER_LOGIN, "
                    + "GL_USERNAME, GITEA_PUSHER_NAME, REMOTE_USER, GL_USER that is set.")
    private String identityVariable;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Reject the push when no verdict is reached within this time (default: env "
                    + DEADLINE_VARIABLE + ", else 4s); keep it below the host's own hook timeout.")
    private Duration deadline;

    /**
     * Set by the resident server to the deadline of the hook that asks: the hook gives up on the
     * server then, so judging longer (because the forwarded environment asks for it) would only
     * hold a worker for a push that is rejected anyway.
     */
    @Option(names = "--deadline-cap", paramLabel = "DURATION", converter = DurationConverter.class, hidden = true,
            description = "Never judge longer than this, whatever --deadline or " + DEADLINE_VARIABLE + " say.")
    private Duration deadlineCap;

    /**
     * Off by default: on a host that forwards the pusher's environment, a pusher could
     * otherwise move the clock past a freeze window or make old evidence look fresh. Only the
     * hook script (written by {@code hook install --trust-clock-env}, for tests and demos)
     * can turn it on; the variable itself never can.
     */
    @Option(names = "--trust-clock-env", hidden = true,
            description = "Judge at the time in " + Invocation.NOW_VARIABLE + " (tests and demos only).")
    private boolean trustClockVariable;

    @Mixin
    private SchemaLocationOptions schemaLocations;

    @Mixin
    private DebugOption debug;

    PreReceiveCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() {
        Duration limit;
        Clock clock;
        try {
            limit = deadline();
            clock = trustClockVariable ? invocation.clock() : Clock.systemUTC();
        } catch (UsageException e) {
            print("stagegate: " + e.getMessage() + "; push rejected (fail closed)");
            return ExitStatus.USAGE_OR_POLICY.code();
        }
        // custom rules stop at the same deadline instead of running on in an abandoned worker
        long deadlineNanoTime = System.nanoTime() + limit.toNanos();
        FutureTask<Outcome> judgement = new FutureTask<>(() -> judge(clock, deadlineNanoTime));
        // A daemon thread, so that an engine stuck past the deadline cannot keep the process alive.
        Thread worker = new Thread(judgement, "stagegate-pre-receive");
        worker.setDaemon(true);
        worker.start();
        try {
            Outcome outcome = judgement.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            new TextRenderer().lines(outcome.verdict()).forEach(this::print);
            return outcome.status().code();
        } catch (TimeoutException e) {
            OverrunJudgements.abandon(worker);
            print("stagegate: no verdict within " + DurationConverter.format(limit) + "; push rejected (fail closed)");
            return ExitStatus.CANNOT_JUDGE.code();
        } catch (ExecutionException e) {
            return failClosed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failClosed(e);
        }
    }

    private Outcome judge(Clock clock, long deadlineNanoTime) throws IOException {
        List<String> lines = readLines();
        RepositoryConfigOnly.install();
        try (Repository repository = HookRepository.open(invocation.environment(), invocation.workingDirectory())) {
            // before the lines are parsed: a SHA-256 repository's ids are not malformed, just not supported
            RepositoryOpener.checkObjectFormat(repository.getDirectory().toPath());
            List<RefUpdate> updates = new ArrayList<>();
            for (String line : lines) {
                updates.add(RefUpdate.parse(line));
            }
            PushRequest request = new PushRequest(
                    repository,
                    updates,
                    Pusher.fromEnvironment(invocation.environment(), pinnedIdentityVariable()),
                    pushOptions(),
                    Optional.ofNullable(policyFile).map(invocation::resolve),
                    auditLog == null
                            ? repository.getDirectory().toPath().resolve(AUDIT_LOG_NAME)
                            : invocation.resolve(auditLog),
                    Optional.ofNullable(allowedSignersFile).map(invocation::resolve),
                    schemaLocations.templates(invocation)).withDeadline(deadlineNanoTime);
            return engines.apply(clock).preReceive(request);
        }
    }

    /** Every line, so that one run judges every update of the push. */
    private List<String> readLines() throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(invocation.stdin(), StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private Optional<String> pinnedIdentityVariable() {
        return Optional.ofNullable(identityVariable).or(() -> invocation.variable(IDENTITY_ENV_VARIABLE));
    }

    /**
     * The {@code -o} options of the push. An unreadable count yields none: options can only
     * ask for the audited bypass, so ignoring them never lets more through.
     */
    private List<String> pushOptions() {
        int count;
        try {
            count = Integer.parseInt(invocation.variable("GIT_PUSH_OPTION_COUNT").orElse("0"));
        } catch (NumberFormatException e) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String option = invocation.environment().get("GIT_PUSH_OPTION_" + i);
            if (option == null) {
                break;
            }
            options.add(option);
        }
        return options;
    }

    private Duration deadline() {
        Duration asked = uncappedDeadline();
        return deadlineCap != null && deadlineCap.compareTo(asked) < 0 ? deadlineCap : asked;
    }

    private Duration uncappedDeadline() {
        if (deadline != null) {
            return deadline;
        }
        Optional<String> configured = invocation.variable(DEADLINE_VARIABLE);
        if (configured.isEmpty()) {
            return DEFAULT_DEADLINE;
        }
        try {
            return DurationConverter.parse(configured.get());
        } catch (TypeConversionException e) {
            throw new UsageException(DEADLINE_VARIABLE + ": " + e.getMessage());
        }
    }

    private int failClosed(Throwable failure) {
        print("stagegate: cannot judge this push: " + Main.describe(failure) + "; push rejected (fail closed)");
        if (debug.enabled()) {
            failure.printStackTrace(invocation.stderr());
        }
        return ExitStatus.CANNOT_JUDGE.code();
    }

    /** Plain ASCII like every verdict line, also when it quotes what the hook was given. */
    private void print(String line) {
        String prefix = invocation.variable("GL_ID").isPresent() ? GITLAB_PREFIX : "";
        invocation.stdout().println(prefix + TextRenderer.ascii(line));
    }
}
