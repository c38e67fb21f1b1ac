package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import java.time.Instant;
import java.util.Optional;

/**
 * One note line a case attaches to a commit: a record built from the entry's fields (test
 * evidence or an approval), or with {@code line} any text as it is (to see how invalid records
 * are treated); signed with a test key when the entry says so.
 *
 * @param on       the commit the line is attached to
 * @param signedBy the key the line is signed with; empty: unsigned
 */
public record EvidenceEntry(Revision on, Content content, Optional<SigningKey> signedBy, SourcePosition position) {

    /** What the line says. */
    public sealed interface Content {
    }

    /** A note line written as it is. */
    public record Line(String text) implements Content {
    }

    /**
     * A TestEvidence record (evidence-v1.md).
     *
     * @param recordedAt empty: the time the case is judged at
     */
    public record TestRun(String suite, String environment, String result, Optional<Instant> recordedAt,
            String producer) implements Content {
    }

    /**
     * An Approval record (approvals-signatures.md).
     *
     * @param environment the environment the content is approved into
     * @param decision    approved or rejected
     * @param recordedAt  empty: the time the case is judged at
     */
    public record Approval(String environment, String approver, String decision, Optional<Instant> recordedAt,
            Optional<String> comment) implements Content {
    }

    /** Which private key signs the line. */
    public sealed interface SigningKey {
    }

    /** A key the runner generates for this name, once per run; {@code allowedSigners} of a case can list it. */
    public record GeneratedKey(String name) implements SigningKey {
    }

    /** A private key file of the repository under test, relative to its root. */
    public record KeyFile(String path) implements SigningKey {
    }
}
