package dev.stagegate.cli;

import dev.stagegate.ApprovalRequest;
import dev.stagegate.Outcome;
import dev.stagegate.Pusher;
import dev.stagegate.evidence.ApprovalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "approve",
        description = {
            "Approves (or with --reject, rejects) promoting an upstream commit's content into an environment: "
                    + "writes an Approval record under the policy's notes ref, as evidence record writes evidence.",
            "The commit must be an upstream environment's branch tip or one of its first searchDepth first-parent "
                    + "ancestors, where the missing-approval rule looks for approvals."
        },
        footer = {
            "",
            "Exit status: 0 recorded (and with --push, accepted by the remote), 1 refused (a commit in no upstream "
                    + "environment, an entry environment, a signature the policy's allowed signers do not verify, or "
                    + "the remote's hook refused the push), 2 usage error (no policy, an environment the policy does "
                    + "not define, no approver, an unknown commit, a key ssh-keygen cannot sign with), 3 the repository "
                    + "cannot be read or the push could not be made."
        })
final class ApproveCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--environment", required = true, paramLabel = "ENV",
            description = "The environment the content is approved into (a name from the policy).")
    private String environment;

    @Option(names = "--commit", paramLabel = "REV",
            description = "The commit whose content is approved (default: the tip of the environment's upstream "
                    + "branch, origin/<branch> when the clone has it, else the local branch; required when the "
                    + "environment promotes from several).")
    private String commit;

    @Option(names = "--reject", description = "Record a rejection: it blocks the promotion until you approve again.")
    private boolean reject;

    @Option(names = "--comment", paramLabel = "TEXT",
            description = "Why, in at most " + ApprovalRecord.MAX_COMMENT_LENGTH + " characters.")
    private String comment;

    @Option(names = "--approver", paramLabel = "ID",
            description = "Who approves (default: the identity variables the hook reads, such as STAGEGATE_USER).")
    private String approver;

    @Option(names = "--sign-key", paramLabel = "FILE",
            description = "Sign the record with this SSH private key, by running ssh-keygen -Y sign -n stagegate "
                    + "(an agent or a passphrase prompt works as for git's SSH signing).")
    private Path signKey;

    @Option(names = "--push", paramLabel = "REMOTE", arity = "0..1", fallbackValue = "origin",
            description = "Push the notes ref to REMOTE (default: origin) with git; the server's hook judges the push.")
    private String pushRemote;

    @Mixin
    private ReportOptions report;

    @Mixin
    private DebugOption debug;

    ApproveCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws IOException {
        if (comment != null && comment.codePointCount(0, comment.length()) > ApprovalRecord.MAX_COMMENT_LENGTH) {
            throw new UsageException("--comment is longer than " + ApprovalRecord.MAX_COMMENT_LENGTH + " characters");
        }
        Optional<String> identity = Optional.ofNullable(approver)
                .or(() -> Pusher.fromEnvironment(invocation.environment(), Optional.empty()).identity());
        ApprovalRequest request = new ApprovalRequest(repository.repository(invocation), environment,
                Optional.ofNullable(commit), reject ? ApprovalRecord.Decision.REJECTED : ApprovalRecord.Decision.APPROVED,
                Optional.ofNullable(comment), identity, Optional.ofNullable(signKey).map(invocation::resolve),
                Optional.ofNullable(pushRemote), repository.policyFile(invocation));
        Outcome outcome = engines.apply(invocation.clock()).approve(request);
        return report.write(outcome, invocation);
    }
}
