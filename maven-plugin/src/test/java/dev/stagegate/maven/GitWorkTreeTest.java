package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorkTreeTest {

    @TempDir
    Path root;

    @Test
    void aModuleBelongsToTheRepositoryAboveIt() throws IOException {
        Files.createDirectories(root.resolve(".git"));
        Path module = Files.createDirectories(root.resolve("services/web"));

        assertThat(GitWorkTree.containing(module)).contains(root.toAbsolutePath().normalize());
    }

    @Test
    void theRootItselfIsFound() throws IOException {
        Files.createDirectories(root.resolve(".git"));

        assertThat(GitWorkTree.containing(root)).contains(root.toAbsolutePath().normalize());
    }

    @Test
    void aLinkedWorktreeHasAGitFile() throws IOException {
        Path worktree = Files.createDirectories(root.resolve("worktree"));
        Files.writeString(worktree.resolve(".git"), "gitdir: ../main/.git/worktrees/worktree\n");

        assertThat(GitWorkTree.containing(worktree.resolve("missing/child"))).contains(worktree);
    }

    @Test
    void theNearestRepositoryWins() throws IOException {
        Files.createDirectories(root.resolve(".git"));
        Path nested = Files.createDirectories(root.resolve("vendor/other/.git")).getParent();

        assertThat(GitWorkTree.containing(nested)).contains(nested);
    }
}
