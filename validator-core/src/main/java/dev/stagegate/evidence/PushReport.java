package dev.stagegate.evidence;

import java.util.List;

/**
 * How a remote answered a push of the evidence notes ref: its verdict, git's reason for it, and
 * what the remote's hooks printed (git's {@code remote:} lines, without the prefix).
 */
public record PushReport(Status status, String reason, List<String> remoteLines) {

    public enum Status {
        /** The remote took the notes commit: its hooks accepted it. */
        ACCEPTED,
        /** The remote refused it: a hook declined, or the server's configuration forbids the update. */
        REFUSED,
        /** Another writer moved the ref first: fetch, append again and retry. */
        OUTDATED,
        /** Nothing reached a verdict: git could not be run, the remote could not be reached or read. */
        FAILED
    }

    public PushReport {
        remoteLines = List.copyOf(remoteLines);
    }

    static PushReport failed(String reason, List<String> remoteLines) {
        return new PushReport(Status.FAILED, reason, remoteLines);
    }
}
