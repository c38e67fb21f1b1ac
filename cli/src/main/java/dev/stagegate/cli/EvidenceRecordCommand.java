package dev.stagegate.cli;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.Outcome;
import dev.stagegate.Pusher;
import dev.stagegate.evidence.EvidenceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "record",
        description = "Records a test result as evidence on a commit, from JUnit XML reports or an explicit result.",
        footer = {
            "",
            "Exit status: 0 recorded (and with --push, accepted by the remote), 1 refused (a commit on no remote "
                    + "branch, a signature the policy's allowed signers do not verify, or the remote's hook refused "
                    + "the push), 2 usage error (an unknown environment or commit, no producer, a reports directory "
                    + "that does not exist, a key ssh-keygen cannot sign with), 3 the repository cannot be read or "
                    + "the push could not be made."
        })
final class EvidenceRecordCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--commit", required = true, paramLabel = "REV", description = "The tested commit.")
    private String commit;

    @Option(names = "--environment", required = true, paramLabel = "ENV",
            description = "The environment the tests ran in (a name from the policy).")
    private String environment;

    @Option(names = "--suite", required = true, paramLabel = "NAME", description = "The test suite's name.")
    private String suite;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ResultSource source;

    static final class ResultSource {
        @Option(names = "--reports", paramLabel = "DIR", arity = "1..*",
                description = "Directories with JUnit XML reports (Surefire, Failsafe, ...).")
        List<Path> reports = new ArrayList<>();

        @Option(names = "--result", paramLabel = "RESULT", description = "passed or failed.")
        String result;
    }

    @Option(names = "--producer", paramLabel = "NAME",
            description = "Who records it (default: the identity variables the hook reads, such as STAGEGATE_USER).")
    private String producer;

    @Option(names = "--run-url", paramLabel = "URL", description = "Link to the CI run.")
    private String runUrl;

    @Option(names = "--push", paramLabel = "REMOTE",
            description = "Push the notes ref to this remote with git; the server's hooks judge the push.")
    private String pushRemote;

    @Option(names = "--sign-key", paramLabel = "FILE",
            description = "Sign the record with this SSH private key, by running ssh-keygen -Y sign -n stagegate "
                    + "(an agent or a passphrase prompt works as for git's SSH signing).")
    private Path signKey;

    @Mixin
    private ReportOptions report;

    @Mixin
    private DebugOption debug;

    EvidenceRecordCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws Exception {
        Optional<EvidenceResult> result = Optional.empty();
        if (source.result != null) {
            try {
                result = Optional.of(EvidenceResult.fromLabel(source.result));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--result " + e.getMessage());
            }
        }
        Optional<String> identity = Optional.ofNullable(producer)
                .or(() -> Pusher.fromEnvironment(invocation.environment(), Optional.empty()).identity());
        List<Path> reportDirectories = source.reports.stream().map(invocation::resolve).toList();
        for (Path directory : reportDirectories) {
            if (!Files.isDirectory(directory)) {
                throw new UsageException("--reports " + directory
                        + (Files.exists(directory) ? " is not a directory" : " does not exist"));
            }
        }
        EvidenceRequest request = new EvidenceRequest(repository.repository(invocation), commit, environment, suite,
                result, reportDirectories, identity, Optional.ofNullable(runUrl), Optional.ofNullable(pushRemote),
                repository.policyFile(invocation), Optional.ofNullable(signKey).map(invocation::resolve));
        Outcome outcome = engines.apply(invocation.clock()).recordEvidence(request);
        return report.write(outcome, invocation);
    }
}
