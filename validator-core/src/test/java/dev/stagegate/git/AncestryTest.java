package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.ObservingObjectReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits with chosen commit times, built directly: what the ancestor check reads is the
 * parents and the times.
 */
class AncestryTest {

    private static final long DAY = 24 * 60 * 60;
    private static final long START = 1_700_000_000L;

    @TempDir
    Path dir;

    private Repository repository;
    private ObjectInserter inserter;
    private ObjectId emptyTree;

    @BeforeEach
    void setUp() throws Exception {
        repository = Git.init().setBare(true).setDirectory(dir.resolve("repo.git").toFile()).call().getRepository();
        inserter = repository.newObjectInserter();
        emptyTree = inserter.insert(Constants.OBJ_TREE, new byte[0]);
    }

    @AfterEach
    void tearDown() {
        inserter.close();
        repository.close();
    }

    private ObjectId commit(long time, ObjectId... parents) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(emptyTree);
        commit.setParentIds(parents);
        PersonIdent ident = new PersonIdent("T", "t@example.invalid", time * 1000, 0);
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage("at " + time + " after " + List.of(parents) + "\n");
        return inserter.insert(commit);
    }

    /** A first-parent chain of {@code length} commits on {@code from}, one a minute from {@code time}. */
    private ObjectId chain(ObjectId from, long time, int length) throws IOException {
        ObjectId tip = from;
        for (int i = 1; i <= length; i++) {
            tip = commit(time + 60L * i, tip);
        }
        return tip;
    }

    private boolean isAncestor(ObjectId ancestor, ObjectId descendant) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            return Ancestry.isAncestor(reader, ancestor, descendant);
        }
    }

    @Test
    void aCommitIsItsOwnAncestor() throws Exception {
        ObjectId root = commit(START);

        assertThat(isAncestor(root, root)).isTrue();
    }

    @Test
    void findsTheAncestorThroughFirstAndSecondParents() throws Exception {
        ObjectId root = commit(START);
        ObjectId main = chain(root, START, 5);
        ObjectId side = chain(root, START + 1000, 5);
        ObjectId merge = commit(START + 5000, chain(main, START + 2000, 3), side);

        assertThat(isAncestor(main, merge)).isTrue();
        assertThat(isAncestor(side, merge)).isTrue();
        assertThat(isAncestor(root, merge)).isTrue();
    }

    @Test
    void aRewrittenOrOlderTipIsNoDescendant() throws Exception {
        ObjectId root = commit(START);
        ObjectId tip = chain(root, START, 10);
        ObjectId rewrite = chain(root, START + 3000, 10);

        assertThat(isAncestor(tip, rewrite)).isFalse();
        assertThat(isAncestor(tip, root)).isFalse();
        assertThat(isAncestor(rewrite, tip)).isFalse();
    }

    @Test
    void aParentDatedAfterItsChildIsStillFound() throws Exception {
        ObjectId root = commit(START);
        ObjectId futureDated = commit(START + 365 * DAY, root);
        ObjectId child = chain(futureDated, START + 100, 3);

        assertThat(isAncestor(futureDated, child)).isTrue();
    }

    /** Rebased with --committer-date-is-author-date: commits dated days before the tip they are on. */
    @Test
    void anAncestorBehindCommitsDatedEarlierIsFound() throws Exception {
        ObjectId root = commit(START);
        ObjectId old = commit(START + 10 * DAY, root);
        ObjectId rebased = chain(old, START + 2 * DAY, 3);
        ObjectId tip = commit(START + 11 * DAY, rebased);

        assertThat(isAncestor(old, tip)).isTrue();
        assertThat(isAncestor(rebased, old)).isFalse();
    }

    /**
     * A merge of a long history that meets the old tip's only at the root (a branch moved by
     * squash commits, and develop merged into it): the old tip is a parent, so the answer is
     * there after one commit. JGit's merge-base walk, which finds every merge base, read all
     * 300 commits of develop first.
     */
    @Test
    void findsAnOldTipThatIsAParentOfAMergeWithoutReadingTheOtherSide() throws Exception {
        ObjectId root = commit(START);
        ObjectId develop = chain(root, START, 300);
        ObjectId oldTip = commit(START + 60 * 290, root);
        ObjectId merge = commit(START + 60 * 301, oldTip, develop);

        ObservingObjectReader reader = new ObservingObjectReader(repository.newObjectReader());
        try (reader) {
            assertThat(Ancestry.isAncestor(reader, oldTip, merge)).isTrue();
        }
        assertThat(reader.opened(Constants.OBJ_COMMIT)).isLessThan(10);
    }

    /** A fast-forward reads the commits it adds, not the history under them. */
    @Test
    void aFastForwardReadsTheCommitsItAdds() throws Exception {
        ObjectId oldTip = chain(commit(START), START, 300);
        ObjectId newTip = chain(oldTip, START + 60 * 400, 20);

        ObservingObjectReader reader = new ObservingObjectReader(repository.newObjectReader());
        try (reader) {
            assertThat(Ancestry.isAncestor(reader, oldTip, newTip)).isTrue();
        }
        assertThat(reader.opened(Constants.OBJ_COMMIT)).isLessThan(30);
    }

    /** An amended tip: no, after reading the commits on either side of where they part. */
    @Test
    void anAmendedTipIsNoDescendantAndCostsTheCommitsAroundIt() throws Exception {
        ObjectId base = chain(commit(START), START, 300);
        ObjectId oldTip = chain(base, START + 60 * 400, 3);
        ObjectId amended = chain(base, START + 60 * 410, 3);

        ObservingObjectReader reader = new ObservingObjectReader(repository.newObjectReader());
        try (reader) {
            assertThat(Ancestry.isAncestor(reader, oldTip, amended)).isFalse();
        }
        assertThat(reader.opened(Constants.OBJ_COMMIT)).isLessThan(20);
    }
}
