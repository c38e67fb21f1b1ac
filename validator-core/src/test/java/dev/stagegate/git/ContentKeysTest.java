package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.testing.ObservingObjectReader;
import dev.stagegate.testing.TestRepository;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A content key is the tree id a commit would have without its environment-specific paths;
 * each test compares it with the real tree of a commit built without them.
 */
class ContentKeysTest {

    private static final ObjectId EMPTY_TREE = ObjectId.fromString("4b825dc642cb6eb9a060e54bf8d69288fbee4904");

    @TempDir
    Path dir;

    TestRepository repo;
    ObjectReader reader;

    @BeforeEach
    void setUp() {
        repo = TestRepository.bare(dir.resolve("repo.git"));
        reader = repo.repository().newObjectReader();
    }

    @AfterEach
    void tearDown() {
        reader.close();
        repo.close();
    }

    private ContentKeys keys(String... globs) {
        return new ContentKeys(reader, PathSet.of(List.of(globs)));
    }

    private TestRepository.CommitSpec application() {
        return repo.orphan()
                .file("apps/web/values.yaml", "replicas: 2\n")
                .file("apps/api/values.yaml", "replicas: 1\n")
                .file("README.md", "hello\n");
    }

    private static ContentKey treeOf(RevCommit commit) {
        return new ContentKey(commit.getTree().getId());
    }

    @Test
    void environmentSpecificFilesAreLeftOut() throws Exception {
        RevCommit withEnv = application().file("env/values.yaml", "environment: staging\n")
                .file("env/eu/values.yaml", "region: eu\n").create();
        RevCommit without = application().create();

        assertThat(keys("env/**").of(withEnv)).isEqualTo(treeOf(without));
    }

    @ParameterizedTest
    @ValueSource(strings = {"env", "env/", "/env"})
    void aGlobNamingADirectoryLeavesOutItsWholeSubtreeWithoutReadingIt(String glob) throws Exception {
        RevCommit staging = application().file("env/values.yaml", "environment: staging\n").create();
        RevCommit production = application().file("env/values.yaml", "environment: production\n")
                .file("env/eu/extra.yaml", "x: 1\n").create();
        RevCommit without = application().create();
        try (ObservingObjectReader observing = new ObservingObjectReader(repo.repository().newObjectReader())) {
            ContentKeys keys = new ContentKeys(observing, PathSet.of(List.of(glob)));

            assertThat(keys.of(staging)).isEqualTo(treeOf(without));
            assertThat(keys.of(production)).isEqualTo(keys.of(staging));
            assertThat(observing.opened()).doesNotContain(treeIdOf(production, "env"), treeIdOf(staging, "env"));
            assertThat(keys.differences(staging, production, 10)).isEmpty();
        }
    }

    private ObjectId treeIdOf(RevCommit commit, String directory) throws Exception {
        try (TreeWalk walk = TreeWalk.forPath(reader, directory, commit.getTree())) {
            return walk.getObjectId(0);
        }
    }

    @Test
    void aFileNamedLikeTheDirectoryIsLeftOutOnlyByTheGlobWithoutASlash() throws Exception {
        RevCommit withFile = application().file("env", "environment: staging\n").create();
        RevCommit without = application().create();

        assertThat(keys("env").of(withFile)).isEqualTo(treeOf(without));
        assertThat(keys("env/").of(withFile)).isEqualTo(treeOf(withFile));
    }

    @Test
    void commitsThatDifferOnlyInEnvironmentSpecificFilesCarryTheSameContent() throws Exception {
        RevCommit staging = application().file("env/values.yaml", "environment: staging\n").create();
        RevCommit production = application().file("env/values.yaml", "environment: production\n")
                .file("env/extra.yaml", "x: 1\n").create();
        ContentKeys keys = keys("env/**");

        assertThat(keys.of(staging)).isEqualTo(keys.of(production));
    }

    @Test
    void anyOtherDifferenceChangesTheContent() throws Exception {
        RevCommit before = application().file("env/values.yaml", "environment: staging\n").create();
        RevCommit changed = application().file("env/values.yaml", "environment: staging\n")
                .file("apps/web/values.yaml", "replicas: 3\n").create();
        RevCommit renamed = application().file("env/values.yaml", "environment: staging\n")
                .delete("README.md").file("README.txt", "hello\n").create();
        ContentKeys keys = keys("env/**");

        assertThat(keys.of(changed)).isNotEqualTo(keys.of(before));
        assertThat(keys.of(renamed)).isNotEqualTo(keys.of(before));
    }

    @Test
    void aProcessThatRemembersGivesEveryKeyItWouldComputeAndKeepsGlobSetsApart() throws Exception {
        RevCommit staging = application().file("env/values.yaml", "environment: staging\n").create();
        RevCommit onlyEnv = application().file("env/values.yaml", "environment: staging\n")
                .file("env/eu/values.yaml", "region: eu\n").create();
        ContentKey computedEnv = keys("env/**").of(staging);
        ContentKey computedNone = keys("docs/**").of(staging);
        ProcessMemory.enable();
        try {
            assertThat(keys("env/**").of(staging)).isEqualTo(computedEnv);
            assertThat(keys("env/**").of(staging)).as("remembered by another instance").isEqualTo(computedEnv);
            assertThat(keys("docs/**").of(staging)).as("other globs, other key").isEqualTo(computedNone)
                    .isNotEqualTo(computedEnv);
            assertThat(keys("env/**").of(onlyEnv)).isEqualTo(computedEnv);
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void theFileModeIsPartOfTheContent() throws Exception {
        RevCommit file = application().file("link", "README.md").create();
        RevCommit symlink = application().symlink("link", "README.md").create();

        assertThat(keys("env/**").of(file)).isNotEqualTo(keys("env/**").of(symlink));
    }

    @Test
    void globsReachIntoNestedDirectories() throws Exception {
        RevCommit withEnv = application()
                .file("apps/web/env/values.yaml", "replicas: 5\n")
                .file("apps/api/env/prod/values.yaml", "replicas: 7\n")
                .file("config/secrets.yaml", "token: x\n")
                .file("config/app/secrets.yaml", "token: y\n")
                .file("config/app/app.yaml", "name: app\n").create();
        RevCommit without = application().file("config/app/app.yaml", "name: app\n").create();

        assertThat(keys("apps/*/env/**", "**/secrets.yaml").of(withEnv)).isEqualTo(treeOf(without));
    }

    @Test
    void pathsThatOnlyLookAlikeAreKept() throws Exception {
        RevCommit commit = application().file("env", "a file, not the directory\n")
                .file("environments/values.yaml", "x: 1\n").file("apps/env/values.yaml", "y: 2\n").create();

        assertThat(keys("env/**").of(commit)).isEqualTo(treeOf(commit));
    }

    @Test
    void withoutEnvironmentSpecificPathsTheKeyIsTheTree() throws Exception {
        RevCommit commit = application().file("env/values.yaml", "environment: staging\n").create();

        assertThat(new ContentKeys(reader, PathSet.EMPTY).of(commit)).isEqualTo(treeOf(commit));
    }

    @Test
    void whenEverythingIsEnvironmentSpecificTheContentIsTheEmptyTree() throws Exception {
        RevCommit commit = repo.orphan().file("env/values.yaml", "a: 1\n").file("env/b/c.yaml", "c: 1\n").create();

        assertThat(keys("env/**").of(commit)).isEqualTo(new ContentKey(EMPTY_TREE));
        assertThat(keys("env/**").of(repo.orphan().create())).isEqualTo(new ContentKey(EMPTY_TREE));
    }

    @Test
    void aCommitAndItsTreeGiveTheSameKeyAgainAndAgain() throws Exception {
        RevCommit first = application().file("env/values.yaml", "environment: staging\n").create();
        RevCommit second = application().file("env/values.yaml", "environment: staging\n")
                .message("same tree, another commit").create();
        ContentKeys keys = keys("env/**");

        ContentKey key = keys.of(first);

        assertThat(keys.of(first)).isEqualTo(key);
        assertThat(keys.of(second)).isEqualTo(key);
        assertThat(keys.ofTree(first.getTree())).isEqualTo(key);
        assertThat(keys("env/**").of(second)).isEqualTo(key);
    }
}
