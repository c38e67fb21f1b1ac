package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryViewTest {

    @TempDir
    Path dir;

    private TestRepository repo;
    private Path gitDir;

    @BeforeEach
    void setUp() {
        gitDir = dir.resolve("repo.git");
        repo = TestRepository.bare(gitDir);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    @Test
    void inGitsQuarantineWhatWasThereBeforeThePushIsReadFromTheRepositoryItself() throws Exception {
        RevCommit before = repo.commitOn("main").file("apps/web/values.yaml", "replicas: 2\n").create();
        ObjectId oldBlob = blobOf(before, "apps/web/values.yaml");
        Path quarantine = Files.createDirectories(gitDir.resolve("objects/tmp_objdir-incoming-test"));
        Map<String, String> hook = Map.of("GIT_DIR", gitDir.toString(),
                "GIT_OBJECT_DIRECTORY", quarantine.toString(),
                "GIT_ALTERNATE_OBJECT_DIRECTORIES", gitDir.resolve("objects").toString());
        try (Repository pushed = HookRepository.open(hook, gitDir)) {
            ObjectId newBlob;
            try (ObjectInserter inserter = pushed.newObjectInserter()) {
                newBlob = inserter.insert(Constants.OBJ_BLOB, "replicas: 3\n".getBytes(StandardCharsets.UTF_8));
                inserter.flush();
            }
            try (RepositoryView view = new RepositoryView(pushed, RepositoryView.BranchSource.LOCAL)) {
                assertThat(view.priorReader()).isNotSameAs(view.reader()).isSameAs(view.priorReader());
                assertThat(new String(view.priorReader().open(oldBlob).getBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("replicas: 2\n");
                // what the push brought is in the quarantine only
                assertThat(view.priorReader().has(newBlob)).isFalse();
                assertThat(view.reader().has(newBlob)).isTrue();
                assertThat(view.reader().has(oldBlob)).isTrue();
            }
        }
    }

    @Test
    void outsideAQuarantineThereIsOneReader() throws Exception {
        repo.commitOn("main").file("apps/web/values.yaml", "replicas: 2\n").create();

        try (RepositoryView view = new RepositoryView(repo.repository(), RepositoryView.BranchSource.LOCAL)) {
            assertThat(view.priorReader()).isSameAs(view.reader());
        }
    }

    private ObjectId blobOf(RevCommit commit, String path) throws Exception {
        try (TreeWalk walk = TreeWalk.forPath(repo.repository(), path, commit.getTree())) {
            return walk.getObjectId(0);
        }
    }
}
