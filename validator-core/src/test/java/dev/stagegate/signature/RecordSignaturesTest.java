package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordSignaturesTest {

    private static final String PATH = ".stagegate/allowed_signers";
    private static final String ALICE = "alice@example.com";
    private static final Instant RECORDED = Instant.parse("2026-03-01T10:00:00Z");
    private static final String RECORD = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\","
            + "\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"production\","
            + "\"approver\":\"alice@example.com\",\"decision\":\"approved\",\"recordedAt\":\"2026-03-01T10:00:00Z\"}";

    @TempDir
    static Path keys;

    private static SshKeygen.Key ed25519;
    private static SshKeygen.Key ecdsa256;
    private static SshKeygen.Key ecdsa384;
    private static SshKeygen.Key ecdsa521;
    private static SshKeygen.Key rsa;
    private static SshKeygen.Key rsa1024;
    private static SshKeygen.Key dsa;

    @BeforeAll
    static void makeKeys() {
        ed25519 = SshKeygen.generate(keys, "ed25519", "ed25519", 0);
        ecdsa256 = SshKeygen.generate(keys, "ecdsa256", "ecdsa", 256);
        ecdsa384 = SshKeygen.generate(keys, "ecdsa384", "ecdsa", 384);
        ecdsa521 = SshKeygen.generate(keys, "ecdsa521", "ecdsa", 521);
        rsa = SshKeygen.generate(keys, "rsa", "rsa", 2048);
        rsa1024 = SshKeygen.generate(keys, "rsa1024", "rsa", 1024);
        dsa = SshKeygen.generate(keys, "dsa", "dsa", 0);
    }

    private static SshKeygen.Key key(String name) {
        return switch (name) {
            case "ed25519" -> ed25519;
            case "ecdsa256" -> ecdsa256;
            case "ecdsa384" -> ecdsa384;
            case "ecdsa521" -> ecdsa521;
            case "rsa" -> rsa;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String sign(SshKeygen.Key key, String line, String... options) {
        return SshKeygen.sign(key.privateKey(), RecordSignatures.NAMESPACE, CanonicalJson.signedPayload(line), options);
    }

    private static AllowedSigners signers(String text) {
        AllowedSigners signers = AllowedSigners.parse(text, PATH);
        assertThat(signers.problems()).isEmpty();
        return signers;
    }

    private static AllowedSigners aliceMay(SshKeygen.Key key) {
        return signers(ALICE + " " + key.publicKey());
    }

    private static SignatureCheck verify(String signature, AllowedSigners signers) {
        return RecordSignatures.verify(RECORD, signature, ALICE, RECORDED, signers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "ecdsa384", "ecdsa521", "rsa"})
    void verifiesASignatureSshKeygenMadeWithEachAcceptedKeyType(String name) {
        SshKeygen.Key key = key(name);

        SignatureCheck check = verify(sign(key, RECORD), aliceMay(key));

        assertThat(check.outcome()).as(check.reason()).isEqualTo(SignatureOutcome.VERIFIED);
        assertThat(check.verified()).isTrue();
        assertThat(check.principal()).contains(ALICE);
        assertThat(check.fingerprint()).contains(key.fingerprint());
        assertThat(check.reason()).isEqualTo("signed by '" + ALICE + "' with key " + key.fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa521", "rsa"})
    void verifiesTheSha256MessageHashToo(String name) {
        SshKeygen.Key key = key(name);

        assertThat(verify(sign(key, RECORD, "-O", "hashalg=sha256"), aliceMay(key)).verified()).isTrue();
    }

    @Test
    void verifiesAnRsaSha2_256Signature() {
        String signature = ForgedSignatures.rsa(rsa, keys, "rsa-sha2-256", "stagegate", CanonicalJson.signedPayload(RECORD));

        assertThat(verify(signature, aliceMay(rsa)).outcome()).isEqualTo(SignatureOutcome.VERIFIED);
    }

    @Test
    void refusesAnRsaSignatureWithSha1() {
        String signature = ForgedSignatures.rsa(rsa, keys, "ssh-rsa", "stagegate", CanonicalJson.signedPayload(RECORD));

        SignatureCheck check = verify(signature, aliceMay(rsa));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.UNSUPPORTED_KEY);
        assertThat(check.reason()).contains("RSA signature with SHA-1 (ssh-rsa) refused");
        assertThat(check.fingerprint()).contains(rsa.fingerprint());
    }

    @Test
    void refusesAnRsaKeyUnder2048Bits() {
        SignatureCheck check = verify(sign(rsa1024, RECORD), signers(""));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.UNSUPPORTED_KEY);
        assertThat(check.reason()).isEqualTo("RSA key of 1024 bits; at least 2048 are needed");
        assertThat(check.fingerprint()).contains(rsa1024.fingerprint());
    }

    @Test
    void refusesADsaKey() {
        SignatureCheck check = verify(sign(dsa, RECORD), signers(""));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.UNSUPPORTED_KEY);
        assertThat(check.reason()).contains("DSA keys (ssh-dss) are not supported");
        assertThat(check.fingerprint()).contains(dsa.fingerprint());
    }

    @Test
    void refusesASignatureMadeWithACertificate() {
        SshKeygen.Key ca = SshKeygen.generate(keys, "ca", "ed25519", 0);
        SshKeygen.Key signer = SshKeygen.generate(keys, "certified", "ed25519", 0);
        SshKeygen.run(null, "ssh-keygen", "-q", "-s", ca.privateKey().toString(), "-I", "alice", "-n", ALICE,
                signer.privateKey() + ".pub");
        Path certificate = keys.resolve("certified-cert.pub");
        String signature = SshKeygen.sign(certificate, "stagegate", CanonicalJson.signedPayload(RECORD));

        SignatureCheck check = verify(signature, signers("*@example.com " + ca.publicKey() + "\n" + ALICE + " " + signer.publicKey()));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.UNSUPPORTED_KEY);
        assertThat(check.reason()).contains("SSH certificates (ssh-ed25519-cert-v01@openssh.com) are not supported");
        assertThat(Files.exists(certificate)).isTrue();
    }

    @Test
    void refusesASignatureForAnotherNamespace() {
        String gitSignature = SshKeygen.sign(ed25519.privateKey(), "git", CanonicalJson.signedPayload(RECORD));

        SignatureCheck check = verify(gitSignature, aliceMay(ed25519));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.WRONG_NAMESPACE);
        assertThat(check.reason()).isEqualTo("signature is for namespace 'git', not 'stagegate'");
        assertThat(check.fingerprint()).contains(ed25519.fingerprint());
    }

    @Test
    void refusesAPrincipalWithoutALine() {
        SignatureCheck check = verify(sign(ed25519, RECORD), signers("bob@example.com " + ed25519.publicKey()));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.NOT_ALLOWED);
        assertThat(check.reason()).isEqualTo("'alice@example.com' has no line in " + PATH);
        assertThat(check.principal()).isEmpty();
    }

    @Test
    void refusesAKeyThatIsNotListedForThePrincipal() {
        SignatureCheck check = verify(sign(ed25519, RECORD),
                signers(ALICE + " " + rsa.publicKey() + "\nbob@example.com " + ed25519.publicKey()));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.NOT_ALLOWED);
        assertThat(check.reason()).isEqualTo("key " + ed25519.fingerprint() + " is not listed for '" + ALICE + "' in " + PATH);
        assertThat(check.fingerprint()).contains(ed25519.fingerprint());
    }

    @Test
    void honoursTheNamespacesOption() {
        String signature = sign(ed25519, RECORD);
        UnaryOperator<String> line = namespaces -> ALICE + " namespaces=\"" + namespaces + "\" " + ed25519.publicKey();

        SignatureCheck gitOnly = verify(signature, signers(line.apply("git")));
        assertThat(gitOnly.outcome()).isEqualTo(SignatureOutcome.NAMESPACE_NOT_ALLOWED);
        assertThat(gitOnly.reason()).isEqualTo("line 1 of " + PATH + " allows key " + ed25519.fingerprint()
                + " only for namespaces \"git\", not 'stagegate'");
        assertThat(verify(signature, signers(line.apply("!stagegate,*"))).outcome()).isEqualTo(SignatureOutcome.NAMESPACE_NOT_ALLOWED);
        assertThat(verify(signature, signers(line.apply(""))).outcome()).isEqualTo(SignatureOutcome.NAMESPACE_NOT_ALLOWED);
        assertThat(verify(signature, signers(line.apply("git,stagegate"))).verified()).isTrue();
        assertThat(verify(signature, signers(line.apply("stage*"))).verified()).isTrue();
    }

    @Test
    void checksTheValidityWindowAtRecordedAtInclusiveToTheSecond() {
        String signature = sign(ed25519, RECORD);
        AllowedSigners window = signers(ALICE + " valid-after=\"20260301100000Z\",valid-before=\"20260302100000Z\" "
                + ed25519.publicKey());

        assertThat(at(signature, window, "2026-03-01T10:00:00Z").outcome()).isEqualTo(SignatureOutcome.VERIFIED);
        assertThat(at(signature, window, "2026-03-02T10:00:00.999Z").outcome()).isEqualTo(SignatureOutcome.VERIFIED);
        SignatureCheck early = at(signature, window, "2026-03-01T09:59:59Z");
        assertThat(early.outcome()).isEqualTo(SignatureOutcome.NOT_YET_VALID);
        assertThat(early.reason()).isEqualTo("the record was made at 2026-03-01T09:59:59Z, before line 1 of " + PATH
                + " makes key " + ed25519.fingerprint() + " valid (2026-03-01T10:00:00Z)");
        SignatureCheck late = at(signature, window, "2026-03-02T10:00:01Z");
        assertThat(late.outcome()).isEqualTo(SignatureOutcome.EXPIRED);
        assertThat(late.reason()).contains("after key " + ed25519.fingerprint() + " expired on line 1");
    }

    private static SignatureCheck at(String signature, AllowedSigners signers, String instant) {
        return RecordSignatures.verify(RECORD, signature, ALICE, Instant.parse(instant), signers);
    }

    @Test
    void oneAllowingLineForThePrincipalAndKeyIsEnough() {
        String signature = sign(ed25519, RECORD);

        assertThat(verify(signature, signers(ALICE + " namespaces=\"git\" " + ed25519.publicKey() + "\n"
                + "*@example.com " + ed25519.publicKey())).verified()).isTrue();
        assertThat(verify(signature, signers(ALICE + " namespaces=\"git\" " + ed25519.publicKey() + "\n"
                + ALICE + " valid-before=\"20250101Z\" " + ed25519.publicKey())).outcome())
                .as("the line that came closest explains the refusal").isEqualTo(SignatureOutcome.EXPIRED);
    }

    @Test
    void aChangedOrAddedMemberBreaksTheSignature() {
        String signature = sign(ecdsa256, RECORD);

        SignatureCheck changed = RecordSignatures.verify(RECORD.replace("approved", "rejected"), signature, ALICE, RECORDED,
                aliceMay(ecdsa256));
        SignatureCheck added = RecordSignatures.verify(RECORD.replace("}", ",\"comment\":\"x\"}"), signature, ALICE, RECORDED,
                aliceMay(ecdsa256));

        assertThat(changed.outcome()).isEqualTo(SignatureOutcome.BAD_SIGNATURE);
        assertThat(changed.reason()).isEqualTo("the signature by key " + ecdsa256.fingerprint()
                + " does not match this record: it was changed after signing, or another record was signed");
        assertThat(added.outcome()).isEqualTo(SignatureOutcome.BAD_SIGNATURE);
    }

    @Test
    void aSignatureOfAnotherRecordDoesNotVerify() {
        String other = sign(rsa, RECORD.replace("production", "staging"));

        assertThat(verify(other, aliceMay(rsa)).outcome()).isEqualTo(SignatureOutcome.BAD_SIGNATURE);
    }

    @Test
    void reorderedMembersWhitespaceAndTheSignatureMemberDoNotMatter() {
        String signature = sign(ed25519, RECORD);
        String reordered = "{ \"recordedAt\": \"2026-03-01T10:00:00Z\", \"decision\": \"approved\", \"approver\": \"alice@example.com\","
                + " \"signature\": \"anything\", \"environment\": \"production\", \"commit\": \"0123456789abcdef0123456789abcdef01234567\","
                + " \"kind\": \"Approval\", \"apiVersion\": \"stagegate/v1\" }";

        assertThat(RecordSignatures.verify(reordered, signature, ALICE, RECORDED, aliceMay(ed25519)).verified()).isTrue();
    }

    @Test
    void refusesAMegabyteSignatureWithoutDecodingIt() {
        String huge = ForgedSignatures.armor(new byte[768 * 1024]);

        SignatureCheck check = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> verify(huge, aliceMay(ed25519)));

        assertThat(huge.length()).isGreaterThan(1_000_000);
        assertThat(check.outcome()).isEqualTo(SignatureOutcome.MALFORMED);
        assertThat(check.reason()).startsWith("the signature is " + huge.length() + " characters");
    }

    @Test
    void refusesMalformedEnvelopesWithTheirReason() {
        String good = sign(ed25519, RECORD);
        byte[] blob = ForgedSignatures.unarmor(good);
        byte[] lyingLength = blob.clone();
        ByteBuffer.wrap(lyingLength).putInt(10, 0x7fffffff);
        byte[] version2 = blob.clone();
        ByteBuffer.wrap(version2).putInt(6, 2);
        byte[] badMagic = blob.clone();
        badMagic[0] = 'X';

        assertMalformed(null, "the record has no signature");
        assertMalformed("", "does not start with the line -----BEGIN SSH SIGNATURE-----");
        assertMalformed("garbage", "does not start with the line -----BEGIN SSH SIGNATURE-----");
        assertMalformed(good.substring(0, good.lastIndexOf("-----END")), "has no -----END SSH SIGNATURE----- line");
        assertMalformed(good + "\nmore", "text after its -----END SSH SIGNATURE----- line");
        assertMalformed(good.replace("\nU1NI", "\nU1N*"), "not valid base64");
        assertMalformed(ForgedSignatures.armor(new byte[0]), "the signature envelope is truncated");
        assertMalformed(ForgedSignatures.armor(Arrays.copyOf(blob, blob.length / 2)), "the signature envelope is truncated");
        assertMalformed(ForgedSignatures.armor(Arrays.copyOf(blob, 8)), "is truncated: it ends where a length should be");
        assertMalformed(ForgedSignatures.armor(lyingLength), "a field claims 2147483647 bytes but only");
        assertMalformed(ForgedSignatures.armor(version2), "version 2; only version 1 exists");
        assertMalformed(ForgedSignatures.armor(badMagic), "does not start with the SSHSIG magic");
        assertMalformed(ForgedSignatures.armor(Arrays.copyOf(blob, blob.length + 3)), "3 bytes of trailing data");
        assertMalformed(ForgedSignatures.armor(ForgedSignatures.envelope(ed25519.blob(), "stagegate", "sha1",
                ForgedSignatures.signatureBlob("ssh-ed25519", new byte[64]))), "the hash algorithm 'sha1'");
        assertMalformed(ForgedSignatures.armor(ForgedSignatures.envelope(ed25519.blob(), "stagegate", "sha512",
                ForgedSignatures.signatureBlob("ssh-ed25519", new byte[63]))), "63 bytes, not 64");
        assertMalformed(ForgedSignatures.armor(ForgedSignatures.envelope(ed25519.blob(), "stagegate", "sha512",
                ForgedSignatures.signatureBlob("ecdsa-sha2-nistp256", new byte[64]))), "of type 'ecdsa-sha2-nistp256' but the key is ssh-ed25519");
    }

    private static void assertMalformed(String signature, String reason) {
        SignatureCheck check = verify(signature, aliceMay(ed25519));

        assertThat(check.outcome()).as(check.reason()).isEqualTo(SignatureOutcome.MALFORMED);
        assertThat(check.reason()).contains(reason);
    }

    @Test
    void refusesAnEcdsaKeyOffItsCurve() {
        byte[] key = ecdsa256.blob();
        key[key.length - 1] ^= 1;
        String signature = ForgedSignatures.armor(ForgedSignatures.envelope(key, "stagegate", "sha512",
                ForgedSignatures.unarmorSignatureBlob(sign(ecdsa256, RECORD))));

        SignatureCheck check = verify(signature, aliceMay(ecdsa256));

        assertThat(check.outcome()).isEqualTo(SignatureOutcome.MALFORMED);
        assertThat(check.reason()).isEqualTo("the ecdsa-sha2-nistp256 key is not a point on its curve");
    }

    @Test
    void refusesARecordThatIsNotCanonicalJson() {
        String signature = sign(ed25519, RECORD);

        SignatureCheck duplicate = RecordSignatures.verify(RECORD.replace("}", ",\"decision\":\"rejected\"}"), signature, ALICE,
                RECORDED, aliceMay(ed25519));
        SignatureCheck garbage = RecordSignatures.verify("not json", signature, ALICE, RECORDED, aliceMay(ed25519));
        SignatureCheck noTime = RecordSignatures.verify(RECORD, signature, ALICE, null, aliceMay(ed25519));

        assertThat(duplicate.outcome()).isEqualTo(SignatureOutcome.NOT_CANONICAL);
        assertThat(duplicate.reason()).contains("Duplicate field 'decision'");
        assertThat(garbage.outcome()).isEqualTo(SignatureOutcome.NOT_CANONICAL);
        assertThat(noTime.outcome()).isEqualTo(SignatureOutcome.NOT_CANONICAL);
    }

    @Test
    void noSingleByteChangeToARealEnvelopeVerifiesOrThrows() {
        for (SshKeygen.Key key : new SshKeygen.Key[] {ed25519, ecdsa521, rsa}) {
            byte[] blob = ForgedSignatures.unarmor(sign(key, RECORD));
            AllowedSigners signers = aliceMay(key);
            for (int i = 0; i < blob.length; i++) {
                byte[] changed = blob.clone();
                changed[i] ^= (byte) (1 << (i % 8));
                SignatureCheck check = verify(ForgedSignatures.armor(changed), signers);
                assertThat(check.verified()).as("%s, byte %d: %s", key.name(), i, check.reason()).isFalse();
            }
        }
    }

    @Test
    void randomArmoredBytesNeverThrow() {
        Random random = new Random(12);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(600)];
            random.nextBytes(bytes);
            if (bytes.length > 10) {
                System.arraycopy("SSHSIG".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 6);
            }
            assertThat(verify(ForgedSignatures.armor(bytes), aliceMay(ed25519)).verified()).isFalse();
        }
    }
}
