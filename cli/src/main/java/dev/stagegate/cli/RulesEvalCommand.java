package dev.stagegate.cli;

import dev.stagegate.ruleeval.RuleEvalJsonRenderer;
import dev.stagegate.ruleeval.RuleEvalRequest;
import dev.stagegate.ruleeval.RuleEvalRun;
import dev.stagegate.ruleeval.RuleEvalTextRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval",
        description = {
            "Evaluates every custom rule of the policy (rules:) on one file and prints, per rule and document, "
                    + "whether it holds, fails (with its message and path:line:column) or errs, or why it does not "
                    + "apply (its environments, files or kinds).",
            "The rules see the file at its repository path: --path, else FILE's path relative to the top of the "
                    + "working tree that holds --repo (default: the current directory). Without --environment, "
                    + "rules that name environments do not apply."
        },
        footer = {
            "",
            "Exit status: 0 every rule that applies holds, 1 a rule fails or errs, 2 usage error (such as an "
                    + "unknown environment or a missing file), or the policy is missing or invalid, 3 stagegate failed."
        })
final class RulesEvalCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final Function<Clock, Engine> engines;

    @Mixin
    private RepositoryOptions repository;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The file to evaluate the rules on.")
    private Path file;

    @Option(names = "--path", paramLabel = "PATH",
            description = "FILE's path in the repository, as the rules' files globs see it (default: FILE relative "
                    + "to the working tree's top).")
    private String path;

    @Option(names = "--environment", paramLabel = "NAME",
            description = "The environment the file is headed for: rules naming it apply, and CEL's environment "
                    + "and branch are its.")
    private String environment;

    @Option(names = "--old", paramLabel = "FILE",
            description = "The file's previous version, as oldObject for transition rules (default: null, a new file).")
    private Path oldFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    private String format;

    @Mixin
    private DebugOption debug;

    RulesEvalCommand(Invocation invocation, Function<Clock, Engine> engines) {
        this.invocation = invocation;
        this.engines = engines;
    }

    @Override
    public Integer call() throws IOException {
        boolean json = Format.isJson(format);
        Path top = workingTreeTop(repository.directory(invocation));
        Path evaluated = existingFile("--file", file);
        Optional<Path> old = Optional.ofNullable(oldFile).map(given -> existingFile("--old", given));
        RuleEvalRun run = engines.apply(invocation.clock()).evaluateRules(new RuleEvalRequest(top,
                repository.policyFile(invocation), evaluated, repositoryPath(top, evaluated), old,
                Optional.ofNullable(environment)));
        if (run.usageError().isPresent()) {
            throw new UsageException(run.usageError().get());
        }
        invocation.stdout().print(json ? new RuleEvalJsonRenderer().render(run) : new RuleEvalTextRenderer().render(run));
        invocation.stdout().flush();
        return run.status().code();
    }

    private Path existingFile(String option, Path given) {
        Path resolved = invocation.resolve(given);
        if (!Files.isRegularFile(resolved)) {
            throw new UsageException(option + " " + resolved
                    + (Files.exists(resolved) ? " is not a regular file" : " does not exist"));
        }
        return resolved;
    }

    /** The directory holding {@code .git} at or above {@code directory}, as git finds it; else directory itself. */
    private static Path workingTreeTop(Path directory) {
        for (Path candidate = directory.toAbsolutePath().normalize(); candidate != null;
                candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve(".git"))) {
                return candidate;
            }
        }
        return directory;
    }

    /** {@code --path}, else the file's path below the working tree's top, with forward slashes. */
    private String repositoryPath(Path top, Path evaluated) throws IOException {
        if (path != null) {
            String given = path.replace('\\', '/');
            while (given.startsWith("./")) {
                given = given.substring(2);
            }
            if (given.isEmpty() || given.startsWith("/") || ("/" + given + "/").contains("/../")) {
                throw new UsageException("--path '" + path + "' is no path inside the repository; give it relative"
                        + " to the repository's top, such as apps/web/values.yaml");
            }
            return given;
        }
        Path realTop = top.toRealPath();
        Path realFile = evaluated.getParent().toRealPath().resolve(evaluated.getFileName());
        if (!realFile.startsWith(realTop)) {
            throw new UsageException("--file " + evaluated + " is outside the repository " + realTop
                    + "; give its path in the repository with --path");
        }
        StringJoiner relative = new StringJoiner("/");
        realTop.relativize(realFile).forEach(name -> relative.add(name.toString()));
        return relative.toString();
    }
}
