package dev.stagegate.cli;

import dev.stagegate.policytest.PolicyTestJUnitRenderer;
import dev.stagegate.policytest.PolicyTestJsonRenderer;
import dev.stagegate.policytest.PolicyTestRenderer;
import dev.stagegate.policytest.PolicyTestRequest;
import dev.stagegate.policytest.PolicyTestRun;
import dev.stagegate.policytest.PolicyTestTextRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "test",
        description = {
            "Runs the policy's test cases: each builds a small history in memory, pushes, and compares "
                    + "the verdict with the one it expects (docs/policy-tests.md).",
            "In a bare repository the policy, the tests and the files cases copy are read from HEAD's tree."
        },
        footer = {
            "",
            "Exit status: 0 every case passed, 1 a case failed, 2 usage error, or a test file or the policy is "
                    + "invalid, 3 stagegate failed."
        })
final class PolicyTestCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory of test files (every *.yaml below it) or one test file "
                    + "(default: .stagegate/tests/ of the repository).")
    private Path tests;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Allowed-signers file (git's format) for the cases that list no allowedSigners, instead "
                    + "of the one the policy names.")
    private Path allowedSignersFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text, json or junit (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    private Path output;

    @Mixin
    private DebugOption debug;

    PolicyTestCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws IOException {
        PolicyTestRenderer renderer = renderer(format);
        PolicyTestRun run = engines.apply(invocation.clock()).testPolicy(new PolicyTestRequest(
                repository.directory(invocation),
                Optional.ofNullable(tests).map(invocation::resolve),
                repository.policyFile(invocation),
                Optional.ofNullable(allowedSignersFile).map(invocation::resolve)));
        String report = renderer.render(run);
        if (output == null) {
            invocation.stdout().print(report);
            invocation.stdout().flush();
        } else {
            Files.writeString(invocation.resolve(output), report, StandardCharsets.UTF_8);
        }
        return run.status().code();
    }

    private static PolicyTestRenderer renderer(String format) {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> new PolicyTestTextRenderer();
            case "json" -> new PolicyTestJsonRenderer();
            case "junit" -> new PolicyTestJUnitRenderer();
            default -> throw new UsageException("--format must be text, json or junit, not '" + format + "'");
        };
    }
}
