package dev.stagegate.evidence;

import dev.stagegate.signature.SignatureCheck;
import dev.stagegate.signature.SignatureOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private final Path file;
    private final Map<String, String> fingerprints = new HashMap<>();
    private boolean loaded;

    private VerifiedSignatures(Path file) {
        this.file = file;
    }

    /** The store of the repository whose git directory is {@code gitDirectory}; none for in-memory repositories. */
    public static VerifiedSignatures in(Path gitDirectory) {
        return new VerifiedSignatures(gitDirectory == null ? null : gitDirectory.resolve(FILE_NAME));
    }

    public static VerifiedSignatures none() {
        return new VerifiedSignatures(null);
    }

    public boolean active() {
        return file != null;
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
        if (file == null || !check.verified() || check.fingerprint().isEmpty()
                || fingerprints.putIfAbsent(key, check.fingerprint().get()) != null) {
            return;
        }
        String entry = VERSION + " " + key + " " + check.fingerprint().get();
        if (!ENTRY.matcher(entry).matches()) {
            return;
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                Files.delete(file);
            }
            Files.writeString(file, entry + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a read-only repository: the next push verifies again
        }
    }

    private void load() {
        if (loaded || file == null) {
            loaded = true;
            return;
        }
        loaded = true;
        try {
            if (Files.size(file) > MAX_BYTES) {
                return;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (ENTRY.matcher(line).matches()) {
                    String[] parts = line.split(" ");
                    fingerprints.put(parts[1], parts[2]);
                }
            }
        } catch (IOException e) {
            // absent or unreadable: nothing known yet
        }
    }
}
