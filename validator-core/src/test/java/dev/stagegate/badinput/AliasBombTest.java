package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertFileRejected;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;

import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anchors and aliases that expand to far more than the file holds: stopped at 10,000 expanded
 * nodes (quality.md), long before memory or the deadline, with the position of the alias
 * that crossed the limit.
 */
@Timeout(5)
class AliasBombTest {

    private static final String LIMIT = "aliases and merge keys expand to more than 10000 nodes (an alias bomb?)";

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

    /** "Billion laughs": nine levels of nine aliases each, 9^9 nodes when expanded. */
    static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a: &a [" + String.join(",", Collections.nCopies(9, "\"lol\"")) + "]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            yaml.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", Collections.nCopies(9, "*" + (char) (level - 1)))).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void billionLaughsInAValuesFile() {
        assertFileRejected(pushToDevelop(gitops, VALUES, billionLaughs()), VALUES + ":5:8", LIMIT);
    }

    @Test
    void twoThousandAnchorsEachNestingTheOneBefore() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x]\n");
        for (int i = 1; i < 2000; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append("]\n");
        }
        assertFileRejected(pushToDevelop(gitops, VALUES, yaml.toString()), VALUES + ":141:14", LIMIT);
    }

    @Test
    void billionLaughsInThePolicy() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, billionLaughs()), POLICY_FILE + ":5:8",
                "cannot read the policy: " + LIMIT);
    }
}
