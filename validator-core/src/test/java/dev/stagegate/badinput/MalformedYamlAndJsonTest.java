package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.JSON_VALUES;
import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;

import dev.stagegate.ExitStatus;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not YAML or JSON at all: one schema-violation (or policy-invalid) at the problem. */
@Timeout(10)
class MalformedYamlAndJsonTest {

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

    @Test
    void anUnclosedFlowSequence() {
        assertFileRejected(pushToDevelop(gitops, VALUES, "replicas: [2\n"), VALUES + ":2:1",
                "not valid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void aTabUsedForIndentation() {
        assertFileRejected(pushToDevelop(gitops, VALUES, "replicas:\n\t2\n"), VALUES + ":2:1",
                "not valid YAML: while scanning for the next token: found character '\\t(TAB)' that cannot start"
                        + " any token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void truncatedJson() {
        assertFileRejected(pushToDevelop(gitops, JSON_VALUES, "{\"replicas\": 2"), JSON_VALUES + ":1:15",
                "not valid JSON: Unexpected end-of-input: expected close marker for Object"
                        + " (start marker at line 1, column 1)");
    }

    @Test
    void twoJsonValuesInOneFile() {
        assertFileRejected(pushToDevelop(gitops, JSON_VALUES, "{\"replicas\": 2}\n{\"replicas\": 3}\n"),
                JSON_VALUES + ":2:1", "not valid JSON: more than one top-level value");
    }

    @Test
    void aMalformedPolicyPushedToABranch() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, "environments: [\n"), POLICY_FILE + ":2:1",
                "cannot read the policy: not valid YAML: while parsing a flow node: expected the node content,"
                        + " but found '<stream end>'");
    }

    @Test
    void aMalformedServerPolicyStopsEveryPushWithStatus2() throws IOException {
        Path server = Files.writeString(dir.resolve("server-policy.yaml"), "apiVersion: [stagegate/v1\n");

        assertOnlyError(pushToDevelop(gitops.withServerPolicy(server), VALUES, "replicas: 3\n"),
                ExitStatus.USAGE_OR_POLICY, "policy-invalid", null, server + ":2:1",
                "cannot read the policy: not valid YAML: while parsing a flow sequence: expected ',' or ']',"
                        + " but got <stream end>");
    }
}
