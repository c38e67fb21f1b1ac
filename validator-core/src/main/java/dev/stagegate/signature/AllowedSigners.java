package dev.stagegate.signature;

import dev.stagegate.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * git's allowed-signers file, in the format ssh-keygen(1) describes under ALLOWED SIGNERS: one signer a
 * line, {@code principals [options] keytype base64-key [comment]}, with {@code #} comments and blank lines.
 * Principals and {@code namespaces="..."} are comma-separated patterns ({@code *}, {@code ?}, {@code !});
 * {@code valid-after="..."} and {@code valid-before="..."} bound when the key may sign, and need a
 * {@code Z} (see {@link SshTimestamp}). {@code cert-authority} is refused: stagegate verifies plain keys,
 * not certificates.
 *
 * <p>Parsing never throws: each line that does not parse, or names a key stagegate refuses, becomes a
 * {@link Problem} with its line and column, and is left out of {@link #entries()}. Callers must treat any
 * problem as an invalid file rather than use the lines that did parse.
 */
public final class AllowedSigners {

    /** What is wrong with one line; line and column count from 1. */
    public record Problem(int line, int column, String message) {
    }

    /**
     * One valid line.
     *
     * @param principals the principal patterns as written (unquoted)
     * @param namespaces the {@code namespaces=} patterns, when the line restricts them
     * @param fingerprint of the key, {@code SHA256:} and base64 without padding, as {@code ssh-keygen -l} prints it
     */
    public record Entry(int line, String principals, Optional<String> namespaces, Optional<Instant> validAfter,
            Optional<Instant> validBefore, String keyType, String fingerprint) {
    }

    /** A valid line ready to match: its patterns compiled and its key read. */
    record Signer(Entry entry, PatternList principals, Optional<PatternList> namespaces, SshPublicKey key) {

        /** What a line grants, whatever its comments, spacing, quoting or the order of its patterns. */
        private List<Object> grant() {
            return List.of(principals.asSet(), namespaces.map(PatternList::asSet).orElse(Set.of("*")),
                    entry.validAfter(), entry.validBefore(), entry.keyType(), entry.fingerprint());
        }
    }

    private final String path;
    private final String text;
    private volatile String identity;
    private final List<Problem> problems;
    private final List<Signer> signers;

    private AllowedSigners(String path, String text, List<Problem> problems, List<Signer> signers) {
        this.path = path;
        this.text = text;
        this.problems = List.copyOf(problems);
        this.signers = List.copyOf(signers);
    }

    public static AllowedSigners parse(String text, String path) {
        List<Problem> problems = new ArrayList<>();
        List<Signer> signers = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            try {
                AllowedSignersLine.parse(line, i + 1).ifPresent(signers::add);
            } catch (AllowedSignersLine.LineProblem problem) {
                problems.add(new Problem(i + 1, problem.column(), problem.getMessage()));
            }
        }
        return new AllowedSigners(path, text, problems, signers);
    }

    public static AllowedSigners empty(String path) {
        return new AllowedSigners(path, "", List.of(), List.of());
    }

    public String path() {
        return path;
    }

    /**
     * A digest of the file's path and text: two files with the same identity give every
     * signature the same verdict, so a process may remember verdicts by it.
     */
    public String identity() {
        if (identity == null) {
            identity = Sha256.hex((path + "\0" + text).getBytes(StandardCharsets.UTF_8));
        }
        return identity;
    }

    public List<Problem> problems() {
        return problems;
    }

    public List<Entry> entries() {
        return signers.stream().map(Signer::entry).toList();
    }

    /**
     * The lines of this file that {@code before} does not have: a line counts as the same when its principals,
     * namespaces, validity and key are, whatever its comment, spacing, quoting or pattern order. A line that was
     * changed in any way, even narrowed, counts as added: for policy-loosened that errs on the side of reporting.
     */
    public List<Entry> addedSince(AllowedSigners before) {
        Set<List<Object>> known = Set.copyOf(before.signers.stream().map(Signer::grant).toList());
        return signers.stream().filter(signer -> !known.contains(signer.grant())).map(Signer::entry).toList();
    }

    /** The lines, in file order, whose principal patterns match {@code principal}; whatever their key. */
    List<Signer> linesFor(String principal) {
        Objects.requireNonNull(principal);
        return signers.stream().filter(signer -> signer.principals().matches(principal)).toList();
    }
}
