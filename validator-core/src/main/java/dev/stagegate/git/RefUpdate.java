package dev.stagegate.git;

import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * One {@code <old> <new> <ref>} line of a push, as git gives it to a pre-receive hook.
 * A creation has an all-zero old id, a deletion an all-zero new id.
 */
public record RefUpdate(ObjectId oldId, ObjectId newId, String refName) {

    public RefUpdate {
        Objects.requireNonNull(oldId, "oldId");
        Objects.requireNonNull(newId, "newId");
        Objects.requireNonNull(refName, "refName");
    }

    /**
     * Parses one stdin line of a pre-receive hook.
     *
     * @throws IllegalArgumentException with a message fit for the pusher when the line is malformed
     */
    public static RefUpdate parse(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("malformed hook input line (expected '<old> <new> <ref>'): "
                    + abbreviate(line));
        }
        if (!HexObjectId.isValid(parts[0]) || !HexObjectId.isValid(parts[1])) {
            throw new IllegalArgumentException("malformed object id in hook input line: " + abbreviate(line));
        }
        String ref = parts[2];
        if (!ref.equals(Constants.HEAD) && !(ref.startsWith("refs/") && Repository.isValidRefName(ref))) {
            throw new IllegalArgumentException("malformed ref name in hook input line: " + abbreviate(line));
        }
        return new RefUpdate(ObjectId.fromString(parts[0]), ObjectId.fromString(parts[1]), ref);
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    public boolean isCreation() {
        return oldId.equals(ObjectId.zeroId());
    }

    public boolean isDeletion() {
        return newId.equals(ObjectId.zeroId());
    }

    public boolean isBranch() {
        return refName.startsWith(Constants.R_HEADS);
    }

    /** {@code main} for {@code refs/heads/main}; the full name for refs that are not branches. */
    public String branchName() {
        return isBranch() ? refName.substring(Constants.R_HEADS.length()) : refName;
    }

    @Override
    public String toString() {
        return oldId.name() + " " + newId.name() + " " + refName;
    }
}
