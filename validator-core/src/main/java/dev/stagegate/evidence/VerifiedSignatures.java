package dev.stagegate.evidence;

import dev.stagegate.memo.KeptLines;
import dev.stagegate.signature.SignatureCheck;
import dev.stagegate.signature.SignatureOutcome;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The signatures a repository's hook has verified, kept in a small file in the git directory
 * (never a ref), so that each signed record is checked once per server, not on every push
 * that promotes its content: a cold hook's first signature check costs some 30 ms of JDK
 * set-up. An entry is the digest of the allowed-signers file (path and text) and of the
 * record line, both of which never change, with the key's fingerprint; only verified
 * signatures are kept. Like {@code stagegate-validated-policies}, the file is a hint that
 * whoever could rewrite the hook could also write: when it cannot be read or written,
 * signatures are simply checked.
 */
public final class VerifiedSignatures {

    static final String FILE_NAME = "stagegate-verified-signatures";
    /** Past this size the file starts again: it is a cache, and reading it must stay cheap. */
    static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final String VERSION = "v1";
    private static final Pattern ENTRY = Pattern.compile("v1 [0-9a-f]{64} SHA256:[A-Za-z0-9+/]{43}");

    private final KeptLines file;
    private final Map<String, String> fingerprints = new HashMap<>();
    private boolean loaded;

    private VerifiedSignatures(Path gitDirectory) {
        this.file = new KeptLines(gitDirectory, FILE_NAME, MAX_BYTES);
    }

    /** The store of the repository whose git directory is {@code gitDirectory}; none for in-memory repositories. */
    public static VerifiedSignatures in(Path gitDirectory) {
        return new VerifiedSignatures(gitDirectory);
    }

    public static VerifiedSignatures none() {
        return new VerifiedSignatures(null);
    }

    public boolean active() {
        return file.active();
    }

    /** The verdict remembered under {@code key}, for a record by {@code principal}. */
    synchronized Optional<SignatureCheck> verified(String key, String principal) {
        load();
        String fingerprint = fingerprints.get(key);
        return fingerprint == null ? Optional.empty() : Optional.of(new SignatureCheck(SignatureOutcome.VERIFIED,
                Optional.of(principal), Optional.of(fingerprint),
                "signed by '" + principal + "' with key " + fingerprint));
    }

    /** Remembers a verified check under {@code key}. */
    synchronized void add(String key, SignatureCheck check) {
        load();
        if (!file.active() || !check.verified() || check.fingerprint().isEmpty()) {
            return;
        }
        String entry = VERSION + " " + key + " " + check.fingerprint().get();
        if (ENTRY.matcher(entry).matches() && fingerprints.putIfAbsent(key, check.fingerprint().get()) == null) {
            file.append(entry);
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        for (String line : file.read()) {
            if (ENTRY.matcher(line).matches()) {
                String[] parts = line.split(" ");
                fingerprints.put(parts[1], parts[2]);
            }
        }
    }
}
