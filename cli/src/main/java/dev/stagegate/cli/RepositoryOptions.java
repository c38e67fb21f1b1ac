package dev.stagegate.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --repo} and {@code --policy}: which repository is judged, under which policy. */
final class RepositoryOptions {

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository to judge: a working tree or a bare repository (default: current directory).")
    private Path repository;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file outside the repository; it overrides the in-repository .stagegate/policy.yaml.")
    private Path policyFile;

    Path repository(Invocation invocation) {
        return repository == null ? invocation.workingDirectory() : invocation.resolve(repository);
    }

    Optional<Path> policyFile(Invocation invocation) {
        return Optional.ofNullable(policyFile).map(invocation::resolve);
    }
}
