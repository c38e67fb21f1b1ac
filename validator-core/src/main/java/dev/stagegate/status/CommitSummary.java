package dev.stagegate.status;

import java.time.Instant;
import java.util.Objects;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A commit as the board shows it.
 *
 * @param id      the full commit id
 * @param subject the first line of its message
 * @param date    when it was committed
 */
public record CommitSummary(String id, String subject, Instant date) {

    public CommitSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(date, "date");
    }

    static CommitSummary of(RevCommit commit) {
        return new CommitSummary(commit.name(), commit.getShortMessage(), Instant.ofEpochSecond(commit.getCommitTime()));
    }

    /** The first 12 hex digits, as messages show commit ids. */
    public String abbreviated() {
        return id.substring(0, Math.min(12, id.length()));
    }
}
