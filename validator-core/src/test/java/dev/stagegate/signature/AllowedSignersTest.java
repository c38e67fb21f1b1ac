package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.signature.AllowedSigners.Entry;
import dev.stagegate.signature.AllowedSigners.Problem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedSignersTest {

    private static final String PATH = ".stagegate/allowed_signers";

    @TempDir
    static Path keys;

    private static SshKeygen.Key ed25519;
    private static SshKeygen.Key ecdsa;
    private static SshKeygen.Key rsa;
    private static SshKeygen.Key rsa1024;
    private static SshKeygen.Key dsa;

    @BeforeAll
    static void makeKeys() {
        ed25519 = SshKeygen.generate(keys, "ed25519", "ed25519", 0);
        ecdsa = SshKeygen.generate(keys, "ecdsa", "ecdsa", 384);
        rsa = SshKeygen.generate(keys, "rsa", "rsa", 2048);
        rsa1024 = SshKeygen.generate(keys, "rsa1024", "rsa", 1024);
        dsa = SshKeygen.generate(keys, "dsa", "dsa", 0);
    }

    private static AllowedSigners parse(String text) {
        return AllowedSigners.parse(text, PATH);
    }

    private static Problem onlyProblem(String line) {
        AllowedSigners signers = parse(line);
        assertThat(signers.entries()).isEmpty();
        assertThat(signers.problems()).hasSize(1);
        return signers.problems().get(0);
    }

    @Test
    void readsAPlainLineWithTheFingerprintSshKeygenPrints() {
        for (SshKeygen.Key key : new SshKeygen.Key[] {ed25519, ecdsa, rsa}) {
            AllowedSigners signers = parse("alice@example.com " + key.publicKey() + " laptop key");

            assertThat(signers.problems()).isEmpty();
            assertThat(signers.entries()).containsExactly(new Entry(1, "alice@example.com", Optional.empty(),
                    Optional.empty(), Optional.empty(), key.type(), key.fingerprint()));
        }
    }

    @Test
    void readsEveryOptionInAnyCase() {
        AllowedSigners signers = parse("alice NAMESPACES=\"git,stagegate\",Valid-After=\"20240101Z\","
                + "valid-before=\"20251231235959Z\" " + ed25519.publicKey() + "\n"
                + "bob valid-after=\"202401011230UTC\" " + ed25519.publicKey());

        assertThat(signers.problems()).isEmpty();
        assertThat(signers.entries()).extracting(Entry::namespaces, Entry::validAfter, Entry::validBefore).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Optional.of("git,stagegate"), Optional.of(Instant.parse("2024-01-01T00:00:00Z")),
                        Optional.of(Instant.parse("2025-12-31T23:59:59Z"))),
                org.assertj.core.groups.Tuple.tuple(Optional.empty(), Optional.of(Instant.parse("2024-01-01T12:30:00Z")),
                        Optional.empty()));
    }

    @Test
    void quotedValuesMayHoldBlanksAndEscapedQuotes() {
        AllowedSigners signers = parse("\"Alice Smith,bob\" namespaces=\"a b,c\\\"d\" " + ed25519.publicKey());

        assertThat(signers.problems()).isEmpty();
        assertThat(signers.entries().get(0).principals()).isEqualTo("Alice Smith,bob");
        assertThat(signers.entries().get(0).namespaces()).contains("a b,c\"d");
        assertThat(signers.linesFor("Alice Smith")).hasSize(1);
    }

    @Test
    void skipsCommentsBlankLinesAndCarriageReturnsAndCountsLinesFromOne() {
        AllowedSigners signers = parse("# team keys\r\n\r\n   \t\n  # indented comment\n\talice " + ed25519.publicKey()
                + "\r\nbob " + rsa.publicKey() + "   # a comment after the key\n");

        assertThat(signers.problems()).isEmpty();
        assertThat(signers.entries()).extracting(Entry::line, Entry::principals).containsExactly(
                org.assertj.core.groups.Tuple.tuple(5, "alice"), org.assertj.core.groups.Tuple.tuple(6, "bob"));
    }

    @Test
    void matchesPrincipalsAsOpensshPatternLists() {
        AllowedSigners signers = parse("*@example.com " + ed25519.publicKey() + "\n"
                + "?ob,carol " + ecdsa.publicKey() + "\n"
                + "!mallory@corp.example,*@corp.example " + rsa.publicKey() + "\n"
                + "!dave " + rsa.publicKey());

        assertThat(signers.problems()).isEmpty();
        assertThat(signers.linesFor("alice@example.com")).extracting(s -> s.entry().line()).containsExactly(1);
        assertThat(signers.linesFor("alice@example.org")).isEmpty();
        assertThat(signers.linesFor("bob")).extracting(s -> s.entry().line()).containsExactly(2);
        assertThat(signers.linesFor("rob")).extracting(s -> s.entry().line()).containsExactly(2);
        assertThat(signers.linesFor("bobby")).isEmpty();
        assertThat(signers.linesFor("carol")).extracting(s -> s.entry().line()).containsExactly(2);
        assertThat(signers.linesFor("eve@corp.example")).extracting(s -> s.entry().line()).containsExactly(3);
        assertThat(signers.linesFor("mallory@corp.example")).as("a matching negation wins").isEmpty();
        assertThat(signers.linesFor("dave")).as("a negation alone allows no one").isEmpty();
        assertThat(signers.linesFor("erin")).as("a negation alone allows no one").isEmpty();
    }

    @Test
    void matchesAPathologicalPatternWithoutBacktrackingForever() {
        AllowedSigners signers = parse("*a*a*a*a*a*a*a*a*a*a*a*a*b " + ed25519.publicKey());

        assertThat(signers.linesFor("a".repeat(5000))).isEmpty();
        assertThat(signers.linesFor("a".repeat(5000) + "b")).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "principals only | alice | 6 | principals but no key",
        "options without key | alice namespaces=\"git\" | 23 | options but no key",
        "unclosed quoted principals | \"alice ED | 1 | no closing quote",
        "quote inside principals | al\"ice ED | 3 | quote inside the principals",
        "text glued to quoted principals | \"alice\"x ED | 8 | blank must follow",
        "empty principals | \"\" ED | 1 | principals are empty",
        "cert-authority | alice cert-authority ED | 7 | cert-authority is refused",
        "cert-authority among options | alice namespaces=\"git\",cert-authority ED | 24 | cert-authority is refused",
        "unknown option | alice namespaces=\"git\",no-touch-required ED | 24 | unknown option 'no-touch-required'",
        "unknown word | alice ssh-foo AAAA | 7 | 'ssh-foo' is neither an SSH key type nor an option",
        "unquoted value | alice namespaces=git ED | 18 | must be in double quotes",
        "unclosed value | alice namespaces=\"git ED | 18 | quote that is not closed",
        "twice namespaces | alice namespaces=\"a\",namespaces=\"b\" ED | 22 | namespaces= is given twice",
        "twice valid-after | alice valid-after=\"20240101Z\",valid-after=\"20240102Z\" ED | 31 | valid-after= is given twice",
        "trailing comma | alice namespaces=\"a\", ED | 21 | end with a comma",
        "no comma | alice namespaces=\"a\"x ED | 21 | comma must separate",
        "local time | alice valid-after=\"20240101\" ED | 19 | has no Z",
        "short time | alice valid-before=\"2024011Z\" ED | 20 | is not YYYYMMDD",
        "letters in time | alice valid-before=\"2024o101Z\" ED | 20 | is not YYYYMMDD",
        "impossible date | alice valid-after=\"20230229Z\" ED | 19 | not a real date",
        "impossible hour | alice valid-after=\"202301012460Z\" ED | 19 | not a real date",
        "epoch | alice valid-after=\"19700101Z\" ED | 19 | not after 1970",
        "window closed | alice valid-after=\"20250101Z\",valid-before=\"20240101Z\" ED | 7 | valid-before is not after valid-after",
        "empty window | alice valid-after=\"20250101Z\",valid-before=\"20250101Z\" ED | 7 | valid-before is not after valid-after",
        "type without key | alice ssh-ed25519 | 18 | has no base64 data",
        "type without key after options | alice namespaces=\"a\" ssh-ed25519 | 33 | has no base64 data",
        "bad base64 | alice ssh-ed25519 AAAA!!!! | 19 | not valid base64",
        "truncated key | alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== | 19 | the key does not parse: the public key is truncated",
        "unknown type after options | alice namespaces=\"a\" ssh-foo AAAA | 22 | 'ssh-foo' is not an SSH key type",
        "type mismatch | alice ssh-ed25519 RSA | 7 | the line says ssh-ed25519 but the key is ssh-rsa",
        "dsa | alice DSA | 7 | DSA keys (ssh-dss) are not supported",
        "short rsa | alice RSA1024 | 15 | RSA key of 1024 bits; at least 2048 are needed",
        "fido | alice sk-ssh-ed25519@openssh.com AAAA | 7 | FIDO security-key signatures",
        "certificate | alice ssh-ed25519-cert-v01@openssh.com AAAA | 7 | SSH certificates"})
    void refusesAMalformedLineAtItsColumn(String name, String line, int column, String message) {
        String text = line.replace("ED", ed25519.publicKey()).replace("RSA1024", rsa1024.publicKey())
                .replace("RSA", rsa.publicKey().split(" ")[1]).replace("DSA", dsa.publicKey());

        Problem problem = onlyProblem(text);

        assertThat(problem.line()).isEqualTo(1);
        assertThat(problem.message()).contains(message);
        assertThat(problem.column()).as(problem.message()).isEqualTo(column);
    }

    @Test
    void refusesAPatternLongerThanOpensshMatches() {
        Problem problem = onlyProblem("bob,x" + "y".repeat(1100) + " " + ed25519.publicKey());

        assertThat(problem.column()).isEqualTo(1);
        assertThat(problem.message()).contains("longer than OpenSSH's 1022 bytes");
    }

    @Test
    void aBadLineIsAProblemAndTheOtherLinesStillParse() {
        AllowedSigners signers = parse("alice " + ed25519.publicKey() + "\n"
                + "mallory cert-authority " + ed25519.publicKey() + "\n"
                + "bob " + rsa.publicKey());

        assertThat(signers.problems()).extracting(Problem::line).containsExactly(2);
        assertThat(signers.entries()).extracting(Entry::principals).containsExactly("alice", "bob");
        assertThat(signers.linesFor("mallory")).isEmpty();
    }

    @Test
    void anEmptyFileAndEmptyHaveNoEntriesAndNoProblems() {
        assertThat(parse("").entries()).isEmpty();
        assertThat(parse("").problems()).isEmpty();
        assertThat(AllowedSigners.empty(PATH).entries()).isEmpty();
        assertThat(AllowedSigners.empty(PATH).path()).isEqualTo(PATH);
    }

    @Test
    void addedSinceIgnoresCommentsSpacingQuotingAndPatternOrder() {
        AllowedSigners before = parse("# keys\nalice,bob namespaces=\"git,stagegate\" " + ed25519.publicKey() + " old comment");
        AllowedSigners after = parse("\"bob,alice\"   namespaces=\"stagegate,git\"\t" + ed25519.publicKey() + "\n# moved");

        assertThat(after.addedSince(before)).isEmpty();
    }

    @Test
    void addedSinceReportsNewLinesAndWidenedLines() {
        AllowedSigners before = parse("alice valid-before=\"20260101Z\" " + ed25519.publicKey() + "\n"
                + "bob namespaces=\"stagegate\" " + rsa.publicKey());
        AllowedSigners after = parse("alice valid-before=\"20270101Z\" " + ed25519.publicKey() + "\n"
                + "bob " + rsa.publicKey() + "\n"
                + "bob namespaces=\"stagegate\" " + rsa.publicKey() + "\n"
                + "carol " + ecdsa.publicKey() + "\n"
                + "bob namespaces=\"stagegate\" " + ecdsa.publicKey());

        assertThat(after.addedSince(before)).extracting(Entry::line).containsExactly(1, 2, 4, 5);
        assertThat(after.addedSince(AllowedSigners.empty(PATH))).hasSize(5);
        assertThat(after.addedSince(after)).isEmpty();
    }
}
