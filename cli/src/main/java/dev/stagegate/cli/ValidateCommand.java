package dev.stagegate.cli;

import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate",
        description = {
            "Validates the policy, every file the policy maps to a schema and every Kubernetes "
                    + "manifest of its kubernetes section, in the working tree or at a revision.",
            "The policy's custom rules (rules:) judge every file they match for --environment, else for the "
                    + "environment whose branch --rev names, else only the rules that name no environments apply."
        },
        footer = {
            "",
            "Exit status: 0 valid (warnings may have been printed), 1 a file breaks its schema or a custom rule, "
                    + "2 usage error (such as an unknown environment), or the policy is missing or invalid, "
                    + "3 the repository cannot be read."
        })
final class ValidateCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--rev", paramLabel = "REV", description = "Validate this revision instead of the working tree.")
    private String revision;

    @Option(names = "--environment", paramLabel = "NAME",
            description = "Apply the custom rules of this environment (default: the environment whose branch --rev"
                    + " names, else none: only rules without environments).")
    private String environment;

    @Option(names = "--summary", description = "With a kubernetes section, also print per kind how many files and"
            + " resources were checked, and what was skipped and why (JSON always has it).")
    private boolean summary;

    @Mixin
    private SchemaLocationOptions schemaLocations;

    @Mixin
    private ReportOptions report;

    @Mixin
    private DebugOption debug;

    ValidateCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws Exception {
        ValidateRequest request = new ValidateRequest(
                repository.directory(invocation), Optional.ofNullable(revision), repository.policyFile(invocation),
                schemaLocations.templates(invocation), Optional.ofNullable(environment));
        Outcome outcome = engines.apply(invocation.clock()).validate(request);
        report.perKindInText(summary);
        return report.write(outcome, invocation);
    }
}
