package dev.stagegate.evidence;

import dev.stagegate.ExitStatus;
import dev.stagegate.signature.SignatureCheck;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code stagegate evidence list} shows: every note line under the notes ref (or on one
 * commit), valid or not, so that lines the promotion check ignores are visible.
 *
 * @param notesRef the ref read
 * @param entries  one per non-blank note line, by annotated commit
 * @param error    why nothing could be listed, with {@code status}
 */
public record EvidenceListing(String notesRef, List<Entry> entries, Optional<String> error, ExitStatus status) {

    public EvidenceListing {
        entries = List.copyOf(entries);
    }

    /**
     * One note line on {@code commit}.
     *
     * @param signature the check of the record's signature against the allowed signers the listing
     *                  used; empty when the line is no record or an unsigned one
     */
    public record Entry(String commit, NoteLine line, Optional<SignatureCheck> signature) {

        public Entry {
            Objects.requireNonNull(signature, "signature");
        }
    }

    public static EvidenceListing failed(String notesRef, String error, ExitStatus status) {
        return new EvidenceListing(notesRef, List.of(), Optional.of(error), status);
    }
}
