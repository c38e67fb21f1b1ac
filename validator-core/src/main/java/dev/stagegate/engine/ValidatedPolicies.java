package dev.stagegate.engine;

import dev.stagegate.policy.PolicyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private final Path file;
    private final String fingerprint;
    private final Set<String> known = new HashSet<>();
    private boolean loaded;

    private ValidatedPolicies(Path file) {
        this.file = file;
        this.fingerprint = PolicyLoader.schemaFingerprint();
    }

    /** The cache of the repository whose git directory is {@code gitDirectory}; none for in-memory repositories. */
    public static ValidatedPolicies in(Path gitDirectory) {
        return new ValidatedPolicies(gitDirectory == null ? null : gitDirectory.resolve(FILE_NAME));
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
        if (file == null || !known.add(blob.name())) {
            return;
        }
        try {
            Files.writeString(file, fingerprint + " " + blob.name() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a read-only repository: the next push validates again
        }
    }

    private void load() {
        if (loaded || file == null) {
            loaded = true;
            return;
        }
        loaded = true;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].equals(fingerprint) && ObjectId.isId(parts[1])) {
                    known.add(parts[1]);
                }
            }
        } catch (IOException e) {
            // absent or unreadable: nothing known yet
        }
    }
}
