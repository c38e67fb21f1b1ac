package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.testing.TestRepository;
import java.nio.file.Path;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberingObjectReaderTest {

    @TempDir
    Path dir;

    private TestRepository repo;
    private RevCommit commit;

    @BeforeEach
    void setUp() {
        repo = TestRepository.bare(dir.resolve("repo.git"));
        commit = repo.commitOn("main").file("apps/web/values.yaml", "replicas: 2\n").create();
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private ObjectReader remembering() {
        return new RememberingObjectReader(repo.repository().newObjectReader(), "repo.git");
    }

    @Test
    void givesTheSameObjectsAsJGitFromAnyReaderAfterTheFirst() throws Exception {
        byte[] commitBytes;
        byte[] treeBytes;
        try (ObjectReader plain = repo.repository().newObjectReader()) {
            commitBytes = plain.open(commit, Constants.OBJ_COMMIT).getBytes();
            treeBytes = plain.open(commit.getTree(), Constants.OBJ_TREE).getBytes();
        }
        for (int i = 0; i < 2; i++) {
            try (ObjectReader reader = remembering(); RevWalk walk = new RevWalk(reader)) {
                assertThat(reader.open(commit).getBytes()).isEqualTo(commitBytes);
                assertThat(reader.open(commit.getTree(), Constants.OBJ_TREE).getBytes()).isEqualTo(treeBytes);
                RevCommit parsed = walk.parseCommit(commit);
                assertThat(parsed.getTree()).isEqualTo(commit.getTree());
                assertThat(parsed.getFullMessage()).isEqualTo(commit.getFullMessage());
            }
        }
    }

    @Test
    void stillRefusesTheWrongTypeAndAMissingObject() throws Exception {
        try (ObjectReader reader = remembering()) {
            reader.open(commit, Constants.OBJ_COMMIT);

            assertThatThrownBy(() -> reader.open(commit, Constants.OBJ_TREE))
                    .isInstanceOf(IncorrectObjectTypeException.class);
            assertThatThrownBy(() -> reader.open(ObjectId.fromString("0123456789012345678901234567890123456789")))
                    .isInstanceOf(MissingObjectException.class);
        }
    }

    @Test
    void neverGivesAnObjectTheRepositoryDoesNotHave() throws Exception {
        try (ObjectReader reader = remembering()) {
            reader.open(commit, Constants.OBJ_COMMIT);
        }
        try (TestRepository other = TestRepository.bare(dir.resolve("other.git"));
                ObjectReader reader = new RememberingObjectReader(other.repository().newObjectReader(), "repo.git")) {
            assertThatThrownBy(() -> reader.open(commit)).isInstanceOf(MissingObjectException.class);
        }
    }

    @Test
    void readsBlobsThroughWithoutKeepingThem() throws Exception {
        ObjectId blob = repo.blob(commit, "apps/web/values.yaml");
        try (ObjectReader reader = remembering()) {
            assertThat(new String(reader.open(blob).getBytes())).isEqualTo("replicas: 2\n");
            assertThat(reader.newReader()).isInstanceOf(RememberingObjectReader.class);
        }
    }
}
