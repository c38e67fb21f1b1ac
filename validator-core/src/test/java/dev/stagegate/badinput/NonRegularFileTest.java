package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;

import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.TestRepository;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links and submodules where a schema glob, a schema or the policy expects a file:
 * never followed (a link could point anywhere on the server), always a violation.
 */
@Timeout(10)
class NonRegularFileTest {

    private static final ObjectId ELSEWHERE = ObjectId.fromString("1234567812345678123456781234567812345678");

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = BadInput.repository(dir);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private Outcome pushToDevelop(UnaryOperator<TestRepository.CommitSpec> change) {
        return gitops.push(gitops.update("develop", change.apply(gitops.repo().commitOn("develop")).create()));
    }

    @Test
    void aSymlinkMatchedByASchemaGlob() {
        assertFileRejected(pushToDevelop(c -> c.symlink(VALUES, "/etc/passwd")), VALUES + ":1:1",
                "is a symbolic link; files checked against a schema must be regular files"
                        + " (commit the content instead of a link)");
    }

    @Test
    void aSubmoduleMatchedByASchemaGlob() {
        assertFileRejected(pushToDevelop(c -> c.submodule(VALUES, ELSEWHERE)), VALUES + ":1:1",
                "is a submodule; files checked against a schema must be regular files");
    }

    @Test
    void aSchemaThatIsASymlink() {
        assertFileRejected(pushToDevelop(c -> c.symlink("schemas/app-values.schema.json", "/etc/passwd")
                        .file(VALUES, "replicas: 3\n")), VALUES + ":1:1",
                "cannot be checked against its schema: schemas/app-values.schema.json cannot be read:"
                        + " it is a symlink, not a regular file");
    }

    @Test
    void aPolicyThatIsASymlink() {
        assertPolicyRejected(pushToDevelop(c -> c.symlink(POLICY_FILE, "/etc/stagegate/policy.yaml")),
                POLICY_FILE + ":1:1", "the policy is a symlink, not a regular file; commit the policy itself");
    }

    @Test
    void aPolicyThatIsASubmodule() {
        assertPolicyRejected(pushToDevelop(c -> c.submodule(POLICY_FILE, ELSEWHERE)),
                POLICY_FILE + ":1:1", "the policy is a submodule, not a regular file; commit the policy itself");
    }
}
