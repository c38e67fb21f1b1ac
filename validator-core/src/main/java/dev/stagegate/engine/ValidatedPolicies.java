package dev.stagegate.engine;

import dev.stagegate.memo.KeptLines;
import dev.stagegate.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The policy blobs of a repository known to pass the bundled policy schema, kept in a small
 * file in the git directory (never a ref), so that the hook checks a policy against the
 * schema once, when it first meets that blob, instead of on every push. Entries carry the
 * schema's fingerprint: a stagegate with another schema re-validates everything. The file is
 * a hint; when it cannot be read or written, policies are simply validated in full.
 */
public final class ValidatedPolicies {

    static final String FILE_NAME = "stagegate-validated-policies";

    private final KeptLines file;
    private final String fingerprint;
    private final Set<String> known = new HashSet<>();
    private boolean loaded;

    private ValidatedPolicies(Path gitDirectory) {
        this.file = new KeptLines(gitDirectory, FILE_NAME, Long.MAX_VALUE);
        this.fingerprint = PolicyLoader.schemaFingerprint();
    }

    /** The cache of the repository whose git directory is {@code gitDirectory}; none for in-memory repositories. */
    public static ValidatedPolicies in(Path gitDirectory) {
        return new ValidatedPolicies(gitDirectory);
    }

    public static ValidatedPolicies none() {
        return new ValidatedPolicies(null);
    }

    public boolean contains(ObjectId blob) {
        load();
        return known.contains(blob.name());
    }

    public void add(ObjectId blob) {
        load();
        if (file.active() && known.add(blob.name())) {
            file.append(fingerprint + " " + blob.name());
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        for (String line : file.read()) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[0].equals(fingerprint) && ObjectId.isId(parts[1])) {
                known.add(parts[1]);
            }
        }
    }
}
