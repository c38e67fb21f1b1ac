package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * stagegate's verdict against {@code ssh-keygen -Y verify -n stagegate -I principal -f allowed_signers
 * -O verify-time=recordedAt}, fed the same JCS payload, case by case over a corpus of good, tampered,
 * wrong-namespace, wrong-principal, out-of-window, namespace-restricted and re-ordered records for every
 * accepted key type. Each case also states the verdict it should have, so that the two cannot agree by
 * both being wrong.
 */
class RecordSignaturesDifferentialTest {

    private static final String ALICE = "alice@example.com";
    private static final Instant RECORDED = Instant.parse("2026-03-01T10:00:00Z");
    private static final String RECORD = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\","
            + "\"commit\":\"89abcdef0123456789abcdef0123456789abcdef\",\"suite\":\"integration\",\"environment\":\"staging\","
            + "\"result\":\"passed\",\"producer\":\"alice@example.com\",\"recordedAt\":\"2026-03-01T10:00:00Z\","
            + "\"tests\":42,\"reports\":[{\"name\":\"junit\",\"sha256\":\"00ff\"}]}";
    private static final String REORDERED = "{ \"tests\": 42, \"reports\": [ {\"sha256\": \"00ff\", \"name\": \"junit\"} ],"
            + " \"recordedAt\": \"2026-03-01T10:00:00Z\", \"producer\": \"alice@example.com\", \"result\": \"passed\","
            + " \"environment\": \"staging\", \"suite\": \"integration\", \"commit\": \"89abcdef0123456789abcdef0123456789abcdef\","
            + " \"kind\": \"TestEvidence\", \"apiVersion\": \"stagegate/v1\" }";

    @TempDir
    static Path directory;

    private static final List<Signing> SIGNINGS = new ArrayList<>();

    /** One way of signing: a key and how its signature over a payload is made. */
    private record Signing(String name, SshKeygen.Key key, java.util.function.BiFunction<String, byte[], String> signer) {
        String sign(String namespace, String line) {
            return signer.apply(namespace, CanonicalJson.signedPayload(line));
        }
    }

    private record Case(String name, String line, String signature, String principal, Instant recordedAt,
            String allowedSigners, boolean expected) {
    }

    @BeforeAll
    static void makeKeys() {
        for (String[] spec : new String[][] {{"ed25519", "ed25519", "0"}, {"ecdsa256", "ecdsa", "256"},
                {"ecdsa384", "ecdsa", "384"}, {"ecdsa521", "ecdsa", "521"}}) {
            SshKeygen.Key key = SshKeygen.generate(directory, spec[0], spec[1], Integer.parseInt(spec[2]));
            SIGNINGS.add(new Signing(spec[0], key, (namespace, payload) -> SshKeygen.sign(key.privateKey(), namespace, payload)));
        }
        SshKeygen.Key ed25519 = SIGNINGS.get(0).key();
        SIGNINGS.add(new Signing("ed25519 hashalg=sha256", ed25519,
                (namespace, payload) -> SshKeygen.sign(ed25519.privateKey(), namespace, payload, "-O", "hashalg=sha256")));
        SshKeygen.Key rsa = SshKeygen.generate(directory, "rsa", "rsa", 2048);
        SIGNINGS.add(new Signing("rsa-sha2-512", rsa, (namespace, payload) -> SshKeygen.sign(rsa.privateKey(), namespace, payload)));
        SIGNINGS.add(new Signing("rsa-sha2-256", rsa,
                (namespace, payload) -> ForgedSignatures.rsa(rsa, directory, "rsa-sha2-256", namespace, payload)));
        SIGNINGS.add(new Signing("ssh-rsa (SHA-1)", rsa,
                (namespace, payload) -> ForgedSignatures.rsa(rsa, directory, "ssh-rsa", namespace, payload)));
    }

    private static List<Case> corpus(Signing signing) {
        String key = signing.key().publicKey();
        String other = SIGNINGS.get(signing.key() == SIGNINGS.get(0).key() ? 1 : 0).key().publicKey();
        String signature = signing.sign("stagegate", RECORD);
        boolean good = !signing.name().startsWith("ssh-rsa");
        byte[] flipped = ForgedSignatures.unarmor(signature);
        flipped[flipped.length - 5] ^= 0x10;
        String plain = ALICE + " " + key;
        Instant after = Instant.parse("2026-03-01T10:00:00Z");
        Instant before = Instant.parse("2026-03-02T10:00:00Z");
        String window = ALICE + " valid-after=\"20260301100000Z\",valid-before=\"20260302100000Z\" " + key;
        return List.of(
                new Case("good", RECORD, signature, ALICE, RECORDED, plain, good),
                new Case("re-ordered members", REORDERED, signature, ALICE, RECORDED, plain, good),
                new Case("a member changed", RECORD.replace("passed", "failed"), signature, ALICE, RECORDED, plain, false),
                new Case("a member added", RECORD.replace("}]}", "}],\"extra\":\"x\"}"), signature, ALICE, RECORDED, plain, false),
                new Case("a nested member changed", RECORD.replace("00ff", "00fe"), signature, ALICE, RECORDED, plain, false),
                new Case("signature of another record", RECORD, signing.sign("stagegate", RECORD.replace("42", "43")), ALICE,
                        RECORDED, plain, false),
                new Case("signature bit flipped", RECORD, ForgedSignatures.armor(flipped), ALICE, RECORDED, plain, false),
                new Case("git namespace", RECORD, signing.sign("git", RECORD), ALICE, RECORDED, plain, false),
                new Case("principal without a line", RECORD, signature, "bob@example.com", RECORDED, plain, false),
                new Case("key listed for another principal", RECORD, signature, ALICE, RECORDED,
                        "bob@example.com " + key + "\n" + ALICE + " " + other, false),
                new Case("principal pattern", RECORD, signature, ALICE, RECORDED, "*@example.com,carol " + key, good),
                new Case("quoted principals", RECORD, signature, ALICE, RECORDED, "\"Alice Smith,alice@example.com\" " + key, good),
                new Case("principal negated", RECORD, signature, ALICE, RECORDED, "!alice@example.com,*@example.com " + key, false),
                new Case("namespaces=git", RECORD, signature, ALICE, RECORDED, ALICE + " namespaces=\"git\" " + key, false),
                new Case("namespaces=git,stagegate", RECORD, signature, ALICE, RECORDED,
                        ALICE + " namespaces=\"git,stagegate\" " + key, good),
                new Case("namespaces=stage*", RECORD, signature, ALICE, RECORDED, ALICE + " namespaces=\"stage*\" " + key, good),
                new Case("namespaces=!stagegate,*", RECORD, signature, ALICE, RECORDED,
                        ALICE + " namespaces=\"!stagegate,*\" " + key, false),
                new Case("restricted line then open line", RECORD, signature, ALICE, RECORDED,
                        ALICE + " namespaces=\"git\" " + key + "\n*@example.com " + key, good),
                new Case("at valid-after", RECORD, signature, ALICE, after, window, good),
                new Case("a second before valid-after", RECORD, signature, ALICE, after.minusSeconds(1), window, false),
                new Case("at valid-before", RECORD, signature, ALICE, before, window, good),
                new Case("a second after valid-before", RECORD, signature, ALICE, before.plusSeconds(1), window, false),
                new Case("expired day", RECORD, signature, ALICE, RECORDED, ALICE + " valid-before=\"20260228Z\" " + key, false),
                new Case("not yet valid day", RECORD, signature, ALICE, RECORDED, ALICE + " valid-after=\"20260302UTC\" " + key, false));
    }

    @TestFactory
    Stream<DynamicTest> stagegateAgreesWithSshKeygen() {
        return SIGNINGS.stream().flatMap(signing -> corpus(signing).stream().map(c -> DynamicTest.dynamicTest(
                signing.name() + ": " + c.name(), () -> {
                    AllowedSigners signers = AllowedSigners.parse(c.allowedSigners(), "allowed_signers");
                    assertThat(signers.problems()).isEmpty();
                    SignatureCheck check = RecordSignatures.verify(c.line(), c.signature(), c.principal(), c.recordedAt(), signers);
                    SshKeygen.Run reference = SshKeygen.verify(directory, c.allowedSigners(), c.principal(), c.signature(),
                            CanonicalJson.signedPayload(c.line()), c.recordedAt());

                    assertThat(check.verified())
                            .as("%s / %s: stagegate says %s (%s), ssh-keygen exits %d (%s)", signing.name(), c.name(),
                                    check.outcome(), check.reason(), reference.exit(), reference.output().strip())
                            .isEqualTo(reference.exit() == 0)
                            .isEqualTo(c.expected());
                })));
    }

    /** The only keys ssh-keygen verifies and stagegate refuses, on purpose: DSA and RSA under 2048 bits. */
    @Test
    void stagegateIsStricterOnlyWhereItMeansToBe() {
        for (String[] spec : new String[][] {{"dsa", "dsa", "0"}, {"rsa1024", "rsa", "1024"}}) {
            SshKeygen.Key key = SshKeygen.generate(directory, spec[0], spec[1], Integer.parseInt(spec[2]));
            String signature = SshKeygen.sign(key.privateKey(), "stagegate", CanonicalJson.signedPayload(RECORD));
            String allowed = ALICE + " " + key.publicKey();

            SshKeygen.Run reference = SshKeygen.verify(directory, allowed, ALICE, signature, CanonicalJson.signedPayload(RECORD),
                    RECORDED);
            SignatureCheck check = RecordSignatures.verify(RECORD, signature, ALICE, RECORDED,
                    AllowedSigners.parse(allowed, "allowed_signers"));

            assertThat(reference.exit()).as(spec[0] + ": " + reference.output()).isZero();
            assertThat(check.outcome()).as(spec[0]).isEqualTo(SignatureOutcome.UNSUPPORTED_KEY);
        }
    }
}
