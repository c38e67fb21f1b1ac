package dev.stagegate.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An armored SSHSIG signature (OpenSSH PROTOCOL.sshsig), read as sshsig_dearmor and sshsig_wrap_verify
 * read it: the "SSHSIG" magic, version 1, the signer's public key, the namespace, a reserved string, the
 * message hash algorithm (sha256 or sha512) and the signature blob, with nothing after it.
 */
final class SshSignatureEnvelope {

    static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    static final String END = "-----END SSH SIGNATURE-----";
    /** Far above any real envelope (a 16384-bit RSA key and signature armor to about 5,700 characters). */
    static final int MAX_ARMORED_CHARS = 16 * 1024;

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final long VERSION = 1;

    private final byte[] publicKey;
    private final String namespace;
    private final String hashAlgorithm;
    private final byte[] signature;

    private SshSignatureEnvelope(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {
        this.publicKey = publicKey;
        this.namespace = namespace;
        this.hashAlgorithm = hashAlgorithm;
        this.signature = signature;
    }

    static SshSignatureEnvelope parse(String armored) throws SshFormatException {
        if (armored.length() > MAX_ARMORED_CHARS) {
            throw new SshFormatException("the signature is " + armored.length() + " characters; an SSH signature has at most "
                    + MAX_ARMORED_CHARS);
        }
        if (!armored.startsWith(BEGIN + "\n")) {
            throw new SshFormatException("the signature does not start with the line " + BEGIN);
        }
        int end = armored.indexOf("\n" + END, BEGIN.length());
        if (end < 0) {
            throw new SshFormatException("the signature has no " + END + " line");
        }
        if (!armored.substring(end + 1 + END.length()).isBlank()) {
            throw new SshFormatException("the signature has text after its " + END + " line");
        }
        // The footer's newline may be the header's own, when there is no body at all.
        String body = end == BEGIN.length() ? "" : armored.substring(BEGIN.length() + 1, end);
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(body.replaceAll("[ \t\r\n]", ""));
        } catch (IllegalArgumentException e) {
            throw new SshFormatException("the signature is not valid base64");
        }
        SshReader in = new SshReader(blob, "the signature envelope");
        in.fixed(MAGIC, "the SSHSIG magic");
        long version = in.uint32();
        if (version != VERSION) {
            throw new SshFormatException("the signature envelope has version " + version + "; only version 1 exists");
        }
        byte[] publicKey = in.string();
        String namespace = in.text();
        in.string(); // reserved: ignored, as OpenSSH ignores it (the signed data always holds an empty one)
        String hashAlgorithm = in.text();
        byte[] signature = in.string();
        in.end();
        if (!hashAlgorithm.equals("sha256") && !hashAlgorithm.equals("sha512")) {
            throw new SshFormatException("the signature uses the hash algorithm '" + hashAlgorithm + "'; only sha256 and sha512 are allowed");
        }
        return new SshSignatureEnvelope(publicKey, namespace, hashAlgorithm, signature);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    String namespace() {
        return namespace;
    }

    byte[] signature() {
        return signature.clone();
    }

    /** What the key signed (PROTOCOL.sshsig): "SSHSIG", the namespace, an empty reserved string, the hash algorithm and H(message). */
    byte[] signedData(byte[] message) {
        String digestName = hashAlgorithm.equals("sha256") ? "SHA-256" : "SHA-512";
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(digestName).digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + digestName, e);
        }
        return new SshWriter().raw(MAGIC).string(namespace).string(new byte[0]).string(hashAlgorithm).string(digest).toByteArray();
    }
}
