package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingTreeFilesTest {

    @TempDir
    Path tree;

    private WorkingTreeFiles files;

    @BeforeEach
    void createTree() throws IOException {
        write(".git/HEAD", "ref: refs/heads/main\n");
        write("README.md", "# readme\n");
        write("apps/web/values.yaml", "name: web\n");
        write("apps/web/deep/er/values.yaml", "name: deeper\n");
        write("apps/api/values.yaml", "name: api\n");
        write("apps/api/.git/config", "not walked into\n");
        write("apps/values.yaml/.git", "gitdir: ../../.git/modules/x\n");
        write("other/values.yaml/.git", "gitdir: ../../.git/modules/y\n");
        write("docs/values.yaml", "not matched\n");
        Files.createSymbolicLink(tree.resolve("apps/link.yaml"), tree.resolve("README.md"));
        files = new WorkingTreeFiles(tree);
    }

    @Test
    void listsEveryPathSortedWithSubmodulesAsPathsAndWithoutDotGit() throws IOException {
        assertThat(files.paths()).containsExactly("README.md", "apps/api", "apps/link.yaml",
                "apps/values.yaml", "apps/web/deep/er/values.yaml", "apps/web/values.yaml", "docs/values.yaml",
                "other/values.yaml");
    }

    @Test
    void listsOnlyWhatTheFilterCouldMatch() throws IOException {
        assertThat(files.paths(PathSet.of(List.of("apps/**/values.yaml", "other/values.yaml")))).containsExactly(
                "apps/values.yaml", "apps/web/deep/er/values.yaml", "apps/web/values.yaml", "other/values.yaml");
        assertThat(files.paths(PathSet.of(List.of("apps/*")))).containsExactly(
                "apps/api", "apps/link.yaml", "apps/values.yaml");
    }

    @Test
    void readsAFileOrTellsWhatStandsThereInstead() throws IOException {
        assertThat(files.readFile("apps/web/values.yaml", 100).orElseThrow().bytes())
                .isEqualTo("name: web\n".getBytes(StandardCharsets.UTF_8));
        assertThat(files.readFile("apps/link.yaml", 100)).contains(FileContent.notAFile(FileKind.SYMLINK));
        assertThat(files.readFile("apps/values.yaml", 100)).contains(FileContent.notAFile(FileKind.SUBMODULE));
        assertThat(files.readFile("apps/web", 100)).isEmpty();
        assertThat(files.readFile("apps/missing.yaml", 100)).isEmpty();
        assertThatThrownBy(() -> files.readFile("../outside", 100)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> files.readFile("apps/web/values.yaml", 5))
                .isInstanceOf(FileTooLargeException.class);
    }

    @Test
    void readsAFileAsKindAndReadDoTogether() throws IOException {
        for (String path : List.of("README.md", "apps/api", "apps/link.yaml", "apps/values.yaml", "apps/web",
                "apps/web/values.yaml", "nothing")) {
            Optional<FileKind> kind = files.kind(path);
            Optional<FileContent> content = files.readFile(path, 100);
            assertThat(content.isPresent()).as(path).isEqualTo(kind.isPresent());
            if (kind.isPresent() && kind.get().isFile()) {
                assertThat(content.get().bytes()).as(path).isEqualTo(files.read(path, 100));
            } else if (kind.isPresent()) {
                assertThat(content.get().otherKind()).as(path).isEqualTo(kind.get());
            }
        }
    }

    /** As read() has always done, which finds no file there, unlike kind(). */
    @Test
    void readsNothingFromAFifo() throws Exception {
        Path fifo = tree.resolve("apps/pipe.yaml");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo here");
            return;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

        assertThat(files.readFile("apps/pipe.yaml", 100)).isEmpty();
        assertThatThrownBy(() -> files.read("apps/pipe.yaml", 100)).isInstanceOf(NoSuchFileException.class);
    }

    private void write(String path, String content) throws IOException {
        Path file = tree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
