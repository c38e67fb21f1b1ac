package dev.stagegate.signature;

import dev.stagegate.signature.AllowedSigners.Entry;
import dev.stagegate.signature.AllowedSigners.Signer;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * One line of an allowed-signers file, read the way sshsig.c (parse_principals_key_and_options,
 * sshsigopt_parse) reads it, stopping at the first thing wrong with a column that points at it. Where
 * ssh-keygen is lenient in ways nobody writes on purpose (a quote in the middle of the principals, an
 * empty option), this refuses the line.
 */
final class AllowedSignersLine {

    private static final Set<String> SUPPORTED_TYPES = Set.of(
            "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa");
    private static final String OPTIONS = "namespaces=\"...\", valid-after=\"...\", valid-before=\"...\"";

    /** The first thing wrong with the line; column counts from 1. */
    static final class LineProblem extends Exception {
        private final int column;

        LineProblem(int index, String message) {
            super(message, null, false, false);
            this.column = index + 1;
        }

        int column() {
            return column;
        }
    }

    private final String line;
    private final int number;
    private int at;
    private Optional<String> namespaces = Optional.empty();
    private Optional<PatternList> namespacePatterns = Optional.empty();
    private Optional<Instant> validAfter = Optional.empty();
    private Optional<Instant> validBefore = Optional.empty();

    private AllowedSignersLine(String line, int number) {
        this.line = line;
        this.number = number;
    }

    /** @return the signer the line lists, or empty for a blank or comment line */
    static Optional<Signer> parse(String line, int number) throws LineProblem {
        return new AllowedSignersLine(line, number).parse();
    }

    private Optional<Signer> parse() throws LineProblem {
        skipBlanks();
        if (at == line.length() || line.charAt(at) == '#') {
            return Optional.empty();
        }
        int principalsAt = at;
        String principals = principals();
        if (principals.isEmpty()) {
            throw new LineProblem(principalsAt, "the principals are empty");
        }
        PatternList principalPatterns = patterns(principals, principalsAt);
        skipBlanks();
        if (at == line.length()) {
            throw new LineProblem(at, "the line has principals but no key");
        }
        if (!SshPublicKey.isKnownType(token())) {
            options();
            skipBlanks();
            if (at == line.length()) {
                throw new LineProblem(at, "the line has options but no key");
            }
        }
        int typeAt = at;
        String keyType = token();
        at += keyType.length();
        if (!SshPublicKey.isKnownType(keyType)) {
            throw new LineProblem(typeAt, "'" + keyType + "' is not an SSH key type");
        }
        if (!SUPPORTED_TYPES.contains(keyType)) {
            throw new LineProblem(typeAt, SshPublicKey.unsupportedTypeReason(keyType));
        }
        skipBlanks();
        SshPublicKey key = key(keyType, typeAt);
        // Whatever follows the key is its comment.
        Entry entry = new Entry(number, principals, namespaces, validAfter, validBefore, keyType, key.fingerprint());
        return Optional.of(new Signer(entry, principalPatterns, namespacePatterns, key));
    }

    /** As strdelimw reads it: up to a blank, or a whole double-quoted string. */
    private String principals() throws LineProblem {
        if (line.charAt(at) == '"') {
            int close = line.indexOf('"', at + 1);
            if (close < 0) {
                throw new LineProblem(at, "the quoted principals have no closing quote");
            }
            String principals = line.substring(at + 1, close);
            at = close + 1;
            if (at < line.length() && !isBlank(line.charAt(at))) {
                throw new LineProblem(at, "a blank must follow the quoted principals");
            }
            return principals;
        }
        String principals = token();
        int quote = principals.indexOf('"');
        if (quote >= 0) {
            throw new LineProblem(at + quote, "a quote inside the principals; quote the whole field instead");
        }
        at += principals.length();
        return principals;
    }

    /** The options field, as sshkey_advance_past_options delimits it (blanks inside quotes belong to it). */
    private void options() throws LineProblem {
        int start = at;
        boolean quoted = false;
        int quoteAt = -1;
        for (; at < line.length() && (quoted || !isBlank(line.charAt(at))); at++) {
            char c = line.charAt(at);
            if (c == '\\' && at + 1 < line.length() && line.charAt(at + 1) == '"') {
                at++;
            } else if (c == '"') {
                quoted = !quoted;
                quoteAt = at;
            }
        }
        if (quoted) {
            throw new LineProblem(quoteAt, "the options have a quote that is not closed");
        }
        String options = line.substring(start, at);
        if (!options.contains("=") && !options.contains(",") && !options.equalsIgnoreCase("cert-authority")) {
            throw new LineProblem(start, "'" + options + "' is neither an SSH key type nor an option (" + OPTIONS + ")");
        }
        int i = 0;
        while (true) {
            i = option(options, i, start);
            if (i == options.length()) {
                break;
            }
            if (options.charAt(i) != ',') {
                throw new LineProblem(start + i, "a comma must separate options");
            }
            i++;
            if (i == options.length()) {
                throw new LineProblem(start + i - 1, "the options end with a comma");
            }
        }
        if (validAfter.isPresent() && validBefore.isPresent() && !validBefore.get().isAfter(validAfter.get())) {
            throw new LineProblem(start, "valid-before is not after valid-after");
        }
    }

    /** Reads one option of {@code options} (which starts at column index {@code base}) from {@code i}; returns where it ends. */
    private int option(String options, int i, int base) throws LineProblem {
        if (startsWithIgnoringCase(options, i, "cert-authority")
                && (i + 14 == options.length() || options.charAt(i + 14) == ',')) {
            throw new LineProblem(base + i, "cert-authority is refused: stagegate verifies signers' own keys, not"
                    + " SSH certificates; list each signer's public key");
        }
        if (startsWithIgnoringCase(options, i, "namespaces=")) {
            if (namespaces.isPresent()) {
                throw new LineProblem(base + i, "namespaces= is given twice");
            }
            int valueAt = i + "namespaces=".length();
            StringBuilder value = new StringBuilder();
            int end = dequote(options, valueAt, base, "namespaces", value);
            namespacePatterns = Optional.of(patterns(value.toString(), base + valueAt));
            namespaces = Optional.of(value.toString());
            return end;
        }
        for (String name : new String[] {"valid-after", "valid-before"}) {
            if (startsWithIgnoringCase(options, i, name + "=")) {
                boolean after = name.equals("valid-after");
                if ((after ? validAfter : validBefore).isPresent()) {
                    throw new LineProblem(base + i, name + "= is given twice");
                }
                int valueAt = i + name.length() + 1;
                StringBuilder value = new StringBuilder();
                int end = dequote(options, valueAt, base, name, value);
                Instant time;
                try {
                    time = SshTimestamp.parse(value.toString());
                } catch (IllegalArgumentException e) {
                    throw new LineProblem(base + valueAt, name + ": " + e.getMessage());
                }
                if (after) {
                    validAfter = Optional.of(time);
                } else {
                    validBefore = Optional.of(time);
                }
                return end;
            }
        }
        int end = options.indexOf(',', i);
        String name = options.substring(i, end < 0 ? options.length() : end);
        throw new LineProblem(base + i, "unknown option '" + name + "' (stagegate knows " + OPTIONS + ")");
    }

    /** As opt_dequote: the value must be in double quotes, with \" for a quote inside; returns where it ends. */
    private static int dequote(String options, int i, int base, String name, StringBuilder value) throws LineProblem {
        if (i >= options.length() || options.charAt(i) != '"') {
            throw new LineProblem(base + i, "the value of " + name + "= must be in double quotes, as ssh-keygen requires");
        }
        for (i++; i < options.length() && options.charAt(i) != '"'; i++) {
            if (options.charAt(i) == '\\' && i + 1 < options.length() && options.charAt(i + 1) == '"') {
                i++;
            }
            value.append(options.charAt(i));
        }
        if (i == options.length()) {
            throw new LineProblem(base + i - 1, "the value of " + name + "= has no closing quote");
        }
        return i + 1;
    }

    private SshPublicKey key(String keyType, int typeAt) throws LineProblem {
        int keyAt = at;
        String base64 = token();
        if (base64.isEmpty()) {
            throw new LineProblem(keyAt, "the " + keyType + " key has no base64 data");
        }
        at += base64.length();
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new LineProblem(keyAt, "the key is not valid base64");
        }
        SshPublicKey key;
        try {
            key = SshPublicKey.parse(blob);
        } catch (SshFormatException e) {
            throw new LineProblem(keyAt, "the key does not parse: " + e.getMessage());
        } catch (UnsupportedKeyException e) {
            throw new LineProblem(keyAt, e.getMessage());
        }
        if (!key.type().equals(keyType)) {
            throw new LineProblem(typeAt, "the line says " + keyType + " but the key is " + key.type());
        }
        return key;
    }

    private static PatternList patterns(String text, int at) throws LineProblem {
        try {
            return PatternList.parse(text);
        } catch (IllegalArgumentException e) {
            throw new LineProblem(at, e.getMessage());
        }
    }

    private String token() {
        int end = at;
        while (end < line.length() && !isBlank(line.charAt(end))) {
            end++;
        }
        return line.substring(at, end);
    }

    private void skipBlanks() {
        while (at < line.length() && isBlank(line.charAt(at))) {
            at++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean startsWithIgnoringCase(String text, int at, String prefix) {
        return text.regionMatches(true, at, prefix, 0, prefix.length());
    }
}
