package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import java.time.Instant;
import java.util.Optional;

/**
 * One note line a case attaches to a commit: an evidence record built from its fields, or
 * with {@code line} any text as it is (to see how invalid evidence is treated).
 *
 * @param recordedAt empty: the time the case is judged at
 */
public record EvidenceEntry(
        Revision on,
        Optional<String> line,
        String suite,
        String environment,
        String result,
        Optional<Instant> recordedAt,
        String producer,
        SourcePosition position) {
}
