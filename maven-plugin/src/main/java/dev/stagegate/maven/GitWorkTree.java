package dev.stagegate.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the repository a project lives in, so that a multi-module build is judged once, as a whole. */
final class GitWorkTree {

    private GitWorkTree() {
    }

    /**
     * The nearest directory at or above {@code start} that holds {@code .git} (a directory, or
     * the file a linked worktree or submodule has).
     */
    static Optional<Path> containing(Path start) {
        for (Path directory = start.toAbsolutePath().normalize(); directory != null; directory = directory.getParent()) {
            if (Files.exists(directory.resolve(".git"))) {
                return Optional.of(directory);
            }
        }
        return Optional.empty();
    }
}
