package dev.stagegate.signature;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * SSHSIG envelopes built by hand, written from PROTOCOL.sshsig independently of the code under test: for
 * what ssh-keygen will not make (an rsa-sha2-256 or a SHA-1 ssh-rsa signature, a lying length, a
 * certificate key with any signature) and to take real envelopes apart.
 */
final class ForgedSignatures {

    private ForgedSignatures() {
    }

    static byte[] unarmor(String armored) {
        String body = armored.replace("-----BEGIN SSH SIGNATURE-----", "").replace("-----END SSH SIGNATURE-----", "");
        return Base64.getMimeDecoder().decode(body);
    }

    /** The "string format, string signature" blob of a real envelope, the last field of the SSHSIG structure. */
    static byte[] unarmorSignatureBlob(String armored) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(unarmor(armored));
        in.position(10);
        for (int field = 0; field < 4; field++) {
            in.position(in.position() + 4 + in.getInt(in.position()));
        }
        byte[] signature = new byte[in.getInt()];
        in.get(signature);
        return signature;
    }

    static String armor(byte[] blob) {
        String base64 = Base64.getEncoder().encodeToString(blob);
        StringBuilder out = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (int i = 0; i < base64.length(); i += 70) {
            out.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return out.append("-----END SSH SIGNATURE-----").toString();
    }

    static byte[] envelope(byte[] keyBlob, String namespace, String hashAlgorithm, byte[] signatureBlob) {
        return wire(out -> {
            out.write("SSHSIG".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(1);
            string(out, keyBlob);
            string(out, namespace.getBytes(StandardCharsets.UTF_8));
            string(out, new byte[0]);
            string(out, hashAlgorithm.getBytes(StandardCharsets.UTF_8));
            string(out, signatureBlob);
        });
    }

    /** The bytes an SSHSIG signature covers. */
    static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
        return wire(out -> {
            out.write("SSHSIG".getBytes(StandardCharsets.US_ASCII));
            string(out, namespace.getBytes(StandardCharsets.UTF_8));
            string(out, new byte[0]);
            string(out, hashAlgorithm.getBytes(StandardCharsets.UTF_8));
            try {
                string(out, MessageDigest.getInstance(hashAlgorithm.equals("sha256") ? "SHA-256" : "SHA-512").digest(message));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** "string format, string signature", the blob inside the envelope. */
    static byte[] signatureBlob(String format, byte[] signature) {
        return wire(out -> {
            string(out, format.getBytes(StandardCharsets.UTF_8));
            string(out, signature);
        });
    }

    /**
     * An RSA signature made by the JDK with a copy of {@code key} that ssh-keygen turned into PKCS#8:
     * {@code format} "rsa-sha2-256" (which ssh-keygen verifies but never makes) or "ssh-rsa" (SHA-1).
     */
    static String rsa(SshKeygen.Key key, Path directory, String format, String namespace, byte[] message) {
        try {
            Path pkcs8 = directory.resolve(key.name() + ".pkcs8");
            if (!Files.exists(pkcs8)) {
                Files.copy(key.privateKey(), pkcs8);
                SshKeygen.run(null, "ssh-keygen", "-q", "-p", "-P", "", "-N", "", "-m", "PKCS8", "-f", pkcs8.toString());
            }
            String pem = Files.readString(pkcs8).replaceAll("-----[A-Z ]+-----", "");
            PrivateKey privateKey = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
            Signature signer = Signature.getInstance(format.equals("rsa-sha2-256") ? "SHA256withRSA" : "SHA1withRSA");
            signer.initSign(privateKey);
            signer.update(signedData(namespace, "sha512", message));
            return armor(envelope(key.blob(), namespace, "sha512", signatureBlob(format, signer.sign())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Writing {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] wire(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
