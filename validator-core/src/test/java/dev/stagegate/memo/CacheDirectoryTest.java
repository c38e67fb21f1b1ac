package dev.stagegate.memo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.engine.RepositoryOpener;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirectoryTest {

    @TempDir
    Path root;

    @AfterEach
    void keepNothingForOtherTests() {
        CacheDirectory.useNone();
    }

    @Test
    void aWorkingTreeKeepsThingsInItsGitDirectory() throws Exception {
        Files.createDirectories(root.resolve(".git"));

        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(root));

        assertThat(CacheDirectory.forKind("compiled-rules")).contains(root.resolve(".git/stagegate/compiled-rules"));
    }

    @Test
    void aBareRepositoryIsItsOwnGitDirectory() throws Exception {
        Files.writeString(root.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(root.resolve("objects"));

        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(root));

        assertThat(CacheDirectory.forKind("compiled-rules")).contains(root.resolve("stagegate/compiled-rules"));
        assertThat(CacheDirectory.inGitDirectory(root, "compiled-rules")).isEqualTo(root.resolve("stagegate/compiled-rules"));
    }

    @Test
    void aPlainDirectoryKeepsNothingInsideItself() throws Exception {
        Files.writeString(root.resolve("values.yaml"), "replicas: 2\n");

        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(root));

        // the user's cache directory, wherever the environment puts it, but never the files judged
        Path directory = CacheDirectory.forKind("compiled-rules").orElseThrow();
        assertThat(directory.startsWith(root)).isFalse();
        assertThat(directory.endsWith(Path.of("stagegate", "compiled-rules"))).isTrue();
    }

    @Test
    void aWorktreeOrSubmoduleIsNotFollowedIntoItsGitDirectory() throws Exception {
        Files.writeString(root.resolve(".git"), "gitdir: /elsewhere/.git/worktrees/tree\n");
        // committed files that look like a bare repository's must not make the tree one
        Files.writeString(root.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.createDirectories(root.resolve("objects"));

        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(root));

        assertThat(CacheDirectory.forKind("compiled-rules").orElseThrow().startsWith(root)).isFalse();
    }

    @Test
    void eachThreadKeepsToTheRepositoryItJudges() throws Exception {
        Files.createDirectories(root.resolve(".git"));
        CacheDirectory.keepFor(RepositoryOpener.gitDirectoryOf(root));
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<Path>> seen =
                new java.util.concurrent.atomic.AtomicReference<>();

        Thread other = new Thread(() -> seen.set(CacheDirectory.forKind("compiled-rules")));
        other.start();
        other.join();

        assertThat(seen.get()).isEmpty();
        assertThat(CacheDirectory.forKind("compiled-rules")).contains(root.resolve(".git/stagegate/compiled-rules"));
    }

    @Test
    void nothingIsKeptUntilARepositoryIsNamed() {
        CacheDirectory.useNone();

        assertThat(CacheDirectory.forKind("compiled-rules")).isEmpty();
    }
}
