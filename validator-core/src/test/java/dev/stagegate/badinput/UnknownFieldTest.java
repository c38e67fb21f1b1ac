package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;
import static dev.stagegate.testing.GitOpsFixture.NOTES;

import dev.stagegate.ExitStatus;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A field nobody defined is a typo or a setting that does nothing: never silently ignored. */
@Timeout(10)
class UnknownFieldTest {

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
    void inAnEnvironmentOfThePolicy() {
        String policy = BadInput.POLICY.replace("  - name: testing\n", "  - name: testing\n    colour: red\n");
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, policy), POLICY_FILE + ":7:5",
                "environments[1].colour: property not allowed by the schema"
                        + " (allowed: branch, freezes, name, promotesFrom, protections, requiresApproval, requiresEvidence, upstreams)");
    }

    @Test
    void atTheTopOfThePolicy() {
        String policy = BadInput.POLICY + "colour: red\n";
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, policy), POLICY_FILE + ":" + policy.lines().count() + ":1",
                "colour: property not allowed by the schema (allowed: apiVersion, bypass, environmentSpecificPaths,"
                        + " environments, evidence, groups, identities, kind, kubernetes, mode, ...)");
    }

    @Test
    void inAValuesFileWhoseSchemaForbidsIt() {
        assertFileRejected(pushToDevelop(gitops, VALUES, "replicas: 2\nsize: large\n"), VALUES + ":2:1",
                "size: property not allowed by the schema (allowed: image, replicas) (schema schemas/app-values.schema.json)");
    }

    @Test
    void inAnEvidenceRecord() {
        RevCommit staging = gitops.tip("staging");
        String line = GitOpsFixture.evidence(staging, "staging", "integration", "passed", GitOpsFixture.NOW, "ci-bot")
                .replace("}", ",\"approvedBy\":\"mallory\"}");

        assertOnlyError(gitops.as("ci-bot").push(gitops.updateRef(NOTES, gitops.repo().notesCommit(NOTES, staging, line))),
                ExitStatus.REJECTED, "evidence-tamper", NOTES, null, "new evidence on " + staging.name().substring(0, 12)
                        + " refused: not valid evidence (unknown field 'approvedBy'): " + EvidenceNoteTest.abbreviate(line));
    }
}
