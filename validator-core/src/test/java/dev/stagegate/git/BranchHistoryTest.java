package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first-parent chain every bounded search walks: {@code oldest <- middle <- newer <- tip} on one branch. */
class BranchHistoryTest {

    @TempDir
    Path dir;

    TestRepository repo;
    RevCommit oldest;
    RevCommit middle;
    RevCommit newer;
    RevCommit tip;

    @BeforeEach
    void fourCommitsOnOneBranch() {
        repo = TestRepository.bare(dir.resolve("server.git"));
        oldest = repo.orphan().file("a", "1").message("oldest").commitTo("staging");
        middle = repo.commitOn("staging").file("a", "2").message("middle").commitTo("staging");
        newer = repo.commitOn("staging").file("a", "3").message("newer").commitTo("staging");
        tip = repo.commitOn("staging").file("a", "4").message("tip").commitTo("staging");
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private List<RevCommit> firstParents(int searchDepth) throws IOException {
        try (RevWalk walk = new RevWalk(repo.repository())) {
            return new BranchHistory(walk, searchDepth).firstParents(tip);
        }
    }

    private void deleteLooseObject(ObjectId id) throws IOException {
        Files.delete(repo.directory().resolve("objects").resolve(id.name().substring(0, 2))
                .resolve(id.name().substring(2)));
    }

    @Test
    void theTipThenItsFirstParentsUpToTheSearchDepth() throws IOException {
        assertThat(firstParents(100)).containsExactly(tip, newer, middle, oldest);
        assertThat(firstParents(2)).containsExactly(tip, newer, middle);
        assertThat(firstParents(0)).containsExactly(tip);
    }

    @Test
    void aCommitMissingInsideTheSearchedHistoryIsAnErrorNotItsEnd() throws IOException {
        deleteLooseObject(middle);

        assertThatThrownBy(() -> firstParents(100))
                .isInstanceOf(IOException.class)
                .hasMessage("commit " + middle.name() + " (" + tip.name() + "~2) is missing from the repository: a"
                        + " damaged history could hide an environment's commits or evidence, so it cannot be judged");
    }

    @Test
    void aCommitMissingBeyondTheSearchDepthIsNeverRead() throws IOException {
        deleteLooseObject(middle);

        assertThat(firstParents(1)).containsExactly(tip, newer);
    }

    @Test
    void aShallowBoundaryEndsTheHistory() throws IOException {
        // what a shallow clone has: the boundary commit listed in .git/shallow, its parents absent
        Files.writeString(repo.directory().resolve("shallow"), newer.name() + "\n");
        deleteLooseObject(middle);
        deleteLooseObject(oldest);

        assertThat(firstParents(100)).containsExactly(tip, newer);
    }
}
