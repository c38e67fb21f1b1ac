package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;

import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed values file whose schema cannot be had: missing, unreadable, not JSON, or a
 * {@code $ref} that loops or leaves the revision. The file is rejected, never passed unchecked,
 * and nothing is fetched from the network or read from the server's disk.
 */
@Timeout(10)
class SchemaFileTest {

    private static final String SCHEMA = "schemas/app-values.schema.json";
    private static final String CANNOT = "cannot be checked against its schema: ";

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

    /** A push of develop that changes the values file and puts {@code schema} in place of its schema. */
    private Outcome pushWithSchema(String schema) {
        return gitops.push(gitops.update("develop", gitops.repo().commitOn("develop")
                .file(SCHEMA, schema).file("schemas/other.json", "{\"$ref\": \"app-values.schema.json\"}")
                .file(VALUES, "replicas: 3\n").create()));
    }

    @Test
    void aMissingSchema() {
        Outcome outcome = gitops.push(gitops.update("develop", gitops.repo().commitOn("develop")
                .delete(SCHEMA).file(VALUES, "replicas: 3\n").create()));
        assertFileRejected(outcome, VALUES + ":1:1", CANNOT + SCHEMA + " does not exist");
    }

    @Test
    void aSchemaWhoseObjectIsMissingFromTheStore() throws IOException {
        String schema = "{\"type\": \"object\", \"description\": \"never stored\"}";
        RevCommit change = gitops.repo().commitOn("develop").file(SCHEMA, schema).file(VALUES, "replicas: 3\n").create();
        ObjectId blob = gitops.repo().blob(change, SCHEMA);
        Files.delete(gitops.repo().directory().resolve("objects").resolve(blob.name().substring(0, 2))
                .resolve(blob.name().substring(2)));

        assertFileRejected(gitops.push(gitops.update("develop", change)), VALUES + ":1:1",
                CANNOT + SCHEMA + " cannot be read: Missing unknown " + blob.name());
    }

    @Test
    void aSchemaThatIsNotJson() {
        assertFileRejected(pushWithSchema("{\"type\": "), VALUES + ":1:1",
                CANNOT + SCHEMA + ":1:10: not valid JSON: Unexpected end-of-input within/between Object entries");
    }

    @Test
    void aRefLoopBetweenTwoFiles() {
        assertFileRejected(pushWithSchema("{\"$ref\": \"other.json\"}"), VALUES + ":1:1", CANNOT + SCHEMA
                + " has a $ref cycle that never reaches a value to check: app-values.schema.json -> schemas/other.json"
                + " -> app-values.schema.json");
    }

    @Test
    void aRefToItself() {
        assertFileRejected(pushWithSchema("{\"$ref\": \"#\"}"), VALUES + ":1:1", CANNOT + SCHEMA
                + " has a $ref cycle that never reaches a value to check: " + SCHEMA + "# -> " + SCHEMA + "#");
    }

    @Test
    void aRefToTheNetwork() {
        assertFileRejected(pushWithSchema("{\"$ref\": \"http://169.254.169.254/latest/meta-data\"}"), VALUES + ":1:1",
                CANNOT + SCHEMA + ": $ref http://169.254.169.254/latest/meta-data is not a file of this revision;"
                        + " stagegate reads schemas only from the revision, never from the network: copy the schema"
                        + " into the repository and refer to it by a relative path");
    }

    @Test
    void aRefToTheServersDisk() {
        assertFileRejected(pushWithSchema("{\"$ref\": \"file:///etc/passwd\"}"), VALUES + ":1:1",
                CANNOT + SCHEMA + ": $ref file:///etc/passwd is not a file of this revision;"
                        + " stagegate reads schemas only from the revision, never from the network: copy the schema"
                        + " into the repository and refer to it by a relative path");
    }

    @Test
    void aRefOutOfTheRepository() {
        assertFileRejected(pushWithSchema("{\"$ref\": \"../../../etc/passwd\"}"), VALUES + ":1:1",
                CANNOT + SCHEMA + ": $ref to ../../etc/passwd points outside the repository");
    }
}
