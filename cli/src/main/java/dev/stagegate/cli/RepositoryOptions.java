package dev.stagegate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Option;

/**
 * {@code --repo} and {@code --policy}: which repository is judged, under which policy. A path
 * that names nothing usable is the caller's mistake, so it is a usage error here, named by the
 * absolute path that was tried, before any engine is asked.
 */
final class RepositoryOptions {

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository to judge: a working tree or a bare repository (default: current directory).")
    private Path repository;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file outside the repository; it overrides the in-repository .stagegate/policy.yaml.")
    private Path policyFile;

    /** The directory {@code --repo} names (default: the working directory); it need not be a git repository. */
    Path directory(Invocation invocation) {
        Path directory = repository == null ? invocation.workingDirectory() : invocation.resolve(repository);
        if (!Files.exists(directory)) {
            throw new UsageException("repository " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new UsageException("repository " + directory + " is not a directory");
        }
        return directory;
    }

    /** The git repository {@code --repo} names: a working tree (or a directory in one) or a bare repository. */
    Path repository(Invocation invocation) {
        Path directory = directory(invocation);
        if (new FileRepositoryBuilder().findGitDir(directory.toFile()).getGitDir() == null) {
            throw new UsageException(directory + " is not a git repository (nor inside one)"
                    + (repository == null ? "; run in a repository or pass --repo DIR" : ""));
        }
        return directory;
    }

    Optional<Path> policyFile(Invocation invocation) {
        Optional<Path> file = Optional.ofNullable(policyFile).map(invocation::resolve);
        if (file.isPresent() && !Files.isRegularFile(file.get())) {
            throw new UsageException("--policy " + file.get()
                    + (Files.exists(file.get()) ? " is not a regular file" : " does not exist"));
        }
        return file;
    }
}
