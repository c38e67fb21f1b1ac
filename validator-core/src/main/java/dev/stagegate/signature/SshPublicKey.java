package dev.stagegate.signature;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * An SSH public key of a type stagegate accepts (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa of
 * 2048 to 16384 bits), read from its wire blob as OpenSSH's sshkey_from_blob does, and turned into a JDK
 * key so that the JDK's own providers do the cryptography.
 */
final class SshPublicKey {

    static final int MIN_RSA_BITS = 2048;
    /** OpenSSH's own ceiling (SSHBUF_MAX_BIGNUM); it also bounds what one RSA verification can cost. */
    static final int MAX_RSA_BITS = 16384;

    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** The JCA form of an SSH signature: the algorithm name and the bytes that algorithm verifies. */
    record JcaSignature(String algorithm, byte[] bytes) {
    }

    private record Curve(String hash, ECParameterSpec params) {
        int orderBytes() {
            return (params.getOrder().bitLength() + 7) / 8;
        }

        int fieldBytes() {
            return (params.getCurve().getField().getFieldSize() + 7) / 8;
        }
    }

    /**
     * The NIST curves, read from the JDK's EC provider on first use: loading that provider costs a
     * cold hook tens of milliseconds, which a repository of ed25519 and RSA keys need not pay.
     */
    private static final class NistCurves {
        static final Map<String, Curve> CURVES = Map.of(
                "nistp256", curve("secp256r1", "SHA256"),
                "nistp384", curve("secp384r1", "SHA384"),
                "nistp521", curve("secp521r1", "SHA512"));
    }

    private static final Set<String> NIST_CURVE_NAMES = Set.of("nistp256", "nistp384", "nistp521");

    private final String type;
    private final byte[] canonicalBlob;
    private final KeySpec spec;
    private final Curve curve;
    /** Made from {@code spec} on first use, so that reading an allowed-signers file costs no JDK provider. */
    private volatile PublicKey jdkKey;

    private SshPublicKey(String type, byte[] canonicalBlob, KeySpec spec, PublicKey jdkKey, Curve curve) {
        this.type = type;
        this.canonicalBlob = canonicalBlob;
        this.spec = spec;
        this.jdkKey = jdkKey;
        this.curve = curve;
    }

    static SshPublicKey parse(byte[] blob) throws SshFormatException, UnsupportedKeyException {
        SshReader in = new SshReader(blob, "the public key");
        String type = in.text();
        if (type.equals("ssh-ed25519")) {
            byte[] point = in.string();
            in.end();
            if (point.length != 32) {
                throw new SshFormatException("the ssh-ed25519 key is " + point.length + " bytes, not 32");
            }
            // any 32 bytes make an Ed25519 key the JDK accepts; whether they are a point is decided at verification
            return new SshPublicKey(type, blob, new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, point)), null, null);
        }
        if (type.startsWith("ecdsa-sha2-") && NIST_CURVE_NAMES.contains(type.substring("ecdsa-sha2-".length()))) {
            String curveName = type.substring("ecdsa-sha2-".length());
            String declaredCurve = in.text();
            byte[] point = in.string();
            in.end();
            if (!declaredCurve.equals(curveName)) {
                throw new SshFormatException("the " + type + " key names the curve '" + declaredCurve + "'");
            }
            Curve curve = NistCurves.CURVES.get(curveName);
            ECPublicKeySpec spec = new ECPublicKeySpec(pointOnCurve(point, curve, type), curve.params());
            return new SshPublicKey(type, blob, spec, generate("EC", spec), curve);
        }
        if (type.equals("ssh-rsa")) {
            BigInteger exponent = in.mpint();
            BigInteger modulus = in.mpint();
            in.end();
            int bits = modulus.bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new UnsupportedKeyException("RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are needed");
            }
            if (bits > MAX_RSA_BITS) {
                throw new UnsupportedKeyException("RSA key of " + bits + " bits; at most " + MAX_RSA_BITS + " are allowed");
            }
            // OpenSSH's fingerprint covers the blob it would write itself, so leading zeros are dropped first.
            byte[] canonical = new SshWriter().string(type).mpint(exponent).mpint(modulus).toByteArray();
            RSAPublicKeySpec spec = new RSAPublicKeySpec(modulus, exponent);
            return new SshPublicKey(type, canonical, spec, generate("RSA", spec), null);
        }
        throw new UnsupportedKeyException(unsupportedTypeReason(type));
    }

    /** Why a key type other than the accepted ones is refused; also used for allowed_signers lines. */
    static String unsupportedTypeReason(String type) {
        if (type.equals("ssh-dss")) {
            return "DSA keys (ssh-dss) are not supported; use an ssh-ed25519 key";
        }
        if (type.contains("-cert-v01@openssh.com")) {
            return "SSH certificates (" + type + ") are not supported; list the signer's plain key";
        }
        if (type.startsWith("sk-")) {
            return "FIDO security-key signatures (" + type + ") are not supported";
        }
        return "key type '" + type + "' is not supported (ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa are)";
    }

    static boolean isKnownType(String type) {
        return type.equals("ssh-ed25519") || type.equals("ssh-rsa") || type.equals("ssh-dss")
                || (type.startsWith("ecdsa-sha2-nistp") && !type.contains("@"))
                || type.startsWith("sk-") || type.endsWith("-cert-v01@openssh.com");
    }

    /** As ssh-keygen -l prints it: SHA256 of the key blob, base64 without padding. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    String type() {
        return type;
    }

    String fingerprint() {
        return fingerprint(canonicalBlob);
    }

    boolean sameKey(SshPublicKey other) {
        return Arrays.equals(canonicalBlob, other.canonicalBlob);
    }

    /** Reads an SSH signature blob (string format, string signature) made by this key, as ssh_*_verify do. */
    JcaSignature readSignature(byte[] blob) throws SshFormatException, UnsupportedKeyException {
        SshReader in = new SshReader(blob, "the signature");
        String format = in.text();
        byte[] signature = in.string();
        in.end();
        if (type.equals("ssh-rsa")) {
            return new JcaSignature(rsaAlgorithm(format), rsaSignature(signature));
        }
        if (!format.equals(type)) {
            throw new SshFormatException("the signature is of type '" + format + "' but the key is " + type);
        }
        if (curve == null) {
            if (signature.length != 64) {
                throw new SshFormatException("the ssh-ed25519 signature is " + signature.length + " bytes, not 64");
            }
            return new JcaSignature("Ed25519", signature);
        }
        SshReader values = new SshReader(signature, "the ECDSA signature");
        byte[] r = fixedLength(values.mpint(), curve.orderBytes());
        byte[] s = fixedLength(values.mpint(), curve.orderBytes());
        values.end();
        return new JcaSignature(curve.hash() + "withECDSAinP1363Format", concat(r, s));
    }

    boolean verify(JcaSignature signature, byte[] signedData) {
        try {
            Signature verifier = Signature.getInstance(signature.algorithm());
            verifier.initVerify(jdkKey());
            verifier.update(signedData);
            return verifier.verify(signature.bytes());
        } catch (GeneralSecurityException | SshFormatException | RuntimeException e) {
            // A provider that cannot even decode the signature (an ECDSA value of zero, say) has not verified it.
            return false;
        }
    }

    private PublicKey jdkKey() throws SshFormatException {
        PublicKey key = jdkKey;
        if (key == null) {
            key = generate("Ed25519", spec);
            jdkKey = key;
        }
        return key;
    }

    private static String rsaAlgorithm(String format) throws SshFormatException, UnsupportedKeyException {
        return switch (format) {
            case "rsa-sha2-256" -> "SHA256withRSA";
            case "rsa-sha2-512" -> "SHA512withRSA";
            case "ssh-rsa" -> throw new UnsupportedKeyException(
                    "RSA signature with SHA-1 (ssh-rsa) refused; ssh-keygen -Y sign makes rsa-sha2-512 signatures");
            default -> throw new SshFormatException("the signature is of type '" + format + "' but the key is ssh-rsa");
        };
    }

    /** OpenSSH accepts an RSA signature shorter than the modulus and pads it; the JDK wants the full length. */
    private byte[] rsaSignature(byte[] signature) throws SshFormatException {
        int modulusBytes = (((RSAPublicKey) jdkKey).getModulus().bitLength() + 7) / 8;
        if (signature.length > modulusBytes) {
            throw new SshFormatException("the RSA signature is longer than the key's modulus");
        }
        byte[] padded = new byte[modulusBytes];
        System.arraycopy(signature, 0, padded, modulusBytes - signature.length, signature.length);
        return padded;
    }

    private static byte[] fixedLength(BigInteger value, int length) throws SshFormatException {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int significant = bytes.length - start;
        if (significant > length) {
            throw new SshFormatException("an ECDSA signature value is longer than the curve order");
        }
        byte[] out = new byte[length];
        System.arraycopy(bytes, start, out, length - significant, significant);
        return out;
    }

    /**
     * OpenSSH (sshkey_ec_validate_public) refuses points off the curve; so does this, explicitly, rather than
     * rely on what a JDK provider checks. The NIST curves have cofactor 1, so on the curve means in the group.
     */
    private static ECPoint pointOnCurve(byte[] encoded, Curve curve, String type) throws SshFormatException {
        int size = curve.fieldBytes();
        if (encoded.length != 1 + 2 * size || encoded[0] != 0x04) {
            throw new SshFormatException("the " + type + " key is not an uncompressed point of " + (1 + 2 * size) + " bytes");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + size));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + size, encoded.length));
        BigInteger p = ((ECFieldFp) curve.params().getCurve().getField()).getP();
        BigInteger a = curve.params().getCurve().getA();
        BigInteger b = curve.params().getCurve().getB();
        boolean onCurve = x.compareTo(p) < 0 && y.compareTo(p) < 0
                && y.multiply(y).mod(p).equals(x.pow(3).add(a.multiply(x)).add(b).mod(p));
        if (!onCurve) {
            throw new SshFormatException("the " + type + " key is not a point on its curve");
        }
        return new ECPoint(x, y);
    }

    private static PublicKey generate(String algorithm, KeySpec spec) throws SshFormatException {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(spec);
        } catch (GeneralSecurityException e) {
            throw new SshFormatException("the JDK refuses the " + algorithm + " key: " + e.getMessage());
        }
    }

    private static Curve curve(String jdkName, String hash) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(jdkName));
            return new Curve(hash, parameters.getParameterSpec(ECParameterSpec.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's EC provider lacks the NIST curve " + jdkName, e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
