package dev.stagegate.cli;

import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check-promotion",
        description = {
            "Decides whether promoting SOURCE into the target environment's branch would be accepted: "
                    + "the pull-request check.",
            "The target branch is read from refs/remotes/origin/<branch> when present, else the local branch."
        },
        footer = {
            "",
            "Exit status: 0 the promotion would be accepted (warnings may have been printed), 1 it would be "
                    + "rejected, 2 usage error (such as a target that is no environment), or the policy that governs "
                    + "the target cannot be loaded, 3 it cannot be judged (a shallow clone, a branch or the source "
                    + "not fetched, I/O)."
        })
final class CheckPromotionCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--target", required = true, paramLabel = "ENV_OR_BRANCH",
            description = "Environment, or branch of an environment, that SOURCE would be promoted into.")
    private String target;

    @Option(names = "--source", paramLabel = "REV", defaultValue = "HEAD",
            description = "Revision to promote (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Allowed-signers file (git's format) to verify signed records with, instead of the one the "
                    + "policy names.")
    private Path allowedSignersFile;

    @Mixin
    private SchemaLocationOptions schemaLocations;

    @Mixin
    private ReportOptions report;

    @Mixin
    private DebugOption debug;

    CheckPromotionCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws Exception {
        PromotionRequest request = new PromotionRequest(repository.repository(invocation), target, source,
                repository.policyFile(invocation), Optional.ofNullable(allowedSignersFile).map(invocation::resolve),
                schemaLocations.templates(invocation));
        Outcome outcome = engines.apply(invocation.clock()).checkPromotion(request);
        return report.write(outcome, invocation);
    }
}
