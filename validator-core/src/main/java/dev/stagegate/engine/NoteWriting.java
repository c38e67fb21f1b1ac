package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.evidence.EvidenceRecorder;
import dev.stagegate.evidence.NoteLine;
import dev.stagegate.evidence.NoteRecord;
import dev.stagegate.evidence.PushReport;
import dev.stagegate.evidence.SignaturePolicy;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.SignatureMode;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.signature.SignatureCheck;
import dev.stagegate.signature.SshKeygenSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * What {@code evidence record} and {@code approve} share: the policy that names the notes ref and
 * the environments, signing the line, and writing it locally or pushing it so that the server's
 * hook judges it.
 */
final class NoteWriting {

    /** A record that is not written, with the outcome that says why. */
    static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Outcome outcome;

        Refused(String message, ExitStatus status) {
            this(message, refusal(message, status));
        }

        private Refused(String message, Outcome outcome) {
            super(message);
            this.outcome = outcome;
        }

        /** A refusal because of how the command was called (see {@link Outcome#usageError}). */
        static Refused usage(String message) {
            return new Refused(message, Outcome.usageError(message));
        }

        Outcome outcome() {
            return outcome;
        }
    }

    private NoteWriting() {
    }

    /** The --policy file, else the default branch's policy, else HEAD's; empty when none is valid. */
    static Optional<Policy> policy(PolicyLoader loader, Repository repository, Optional<Path> policyFile)
            throws IOException {
        if (policyFile.isPresent()) {
            PolicyLoadResult result = loader.load(Files.readAllBytes(policyFile.get()), policyFile.get().toString());
            return loader.withServerAllowedSigners(result).policy();
        }
        try (RepositoryView view = new RepositoryView(repository, RepositoryView.BranchSource.REMOTE_FIRST)) {
            PolicyResolver resolver = new PolicyResolver(view, loader, Optional.empty());
            Optional<ObjectId> tip = view.defaultBranchTip();
            if (tip.isEmpty()) {
                tip = Optional.ofNullable(repository.resolve("HEAD"));
            }
            if (tip.isEmpty()) {
                return Optional.empty();
            }
            RevCommit commit = view.commit(tip.get());
            return resolver.policyAt(commit).flatMap(PolicyLoadResult::policy);
        }
    }

    /**
     * The line to write for {@code record}: its JSON, signed with {@code signKey} when one is given.
     * A signed line is checked against the policy's allowed signers when the policy has signatures
     * on, because the hook refuses a signed line that does not verify and it would count nowhere.
     *
     * @throws Refused when the key cannot sign (ssh-keygen's message) or the signature would not verify
     */
    static String line(NoteRecord record, Optional<Path> signKey, Optional<Policy> policy) throws IOException, Refused {
        String line = record.toJsonLine();
        if (signKey.isEmpty()) {
            return line;
        }
        Path key = signKey.get();
        if (!Files.isRegularFile(key)) {
            throw new Refused("--sign-key " + key + " is not a file; nothing recorded", ExitStatus.USAGE_OR_POLICY);
        }
        String signed;
        try {
            signed = SshKeygenSigner.signLine(key, line);
        } catch (IOException e) {
            throw new Refused(e.getMessage() + "; nothing recorded", ExitStatus.USAGE_OR_POLICY);
        } catch (IllegalArgumentException e) {
            // the record cannot be canonicalized, such as a count beyond 2^53 from a report
            throw new Refused("the record cannot be signed: " + e.getMessage() + "; nothing recorded",
                    ExitStatus.USAGE_OR_POLICY);
        }
        NoteLine parsed = NoteLine.parse(signed);
        if (parsed.record().isEmpty()) {
            throw new Refused("the signed record is not valid (" + parsed.problem().orElse("unreadable")
                    + "); nothing recorded", ExitStatus.CANNOT_JUDGE);
        }
        if (policy.isPresent() && policy.get().evidence().signatures() != SignatureMode.OFF
                && policy.get().allowedSigners().isPresent()) {
            SignatureCheck check = SignaturePolicy.verify(parsed.record().get(), signed, policy.get().allowedSigners());
            if (!check.verified()) {
                throw new Refused("the signature does not verify with the policy's allowed signers: " + check.reason()
                        + "; the hook would refuse the line and it would count for nothing, so nothing is recorded",
                        ExitStatus.REJECTED);
            }
        }
        return signed;
    }

    /**
     * What a written line is, for the command's messages.
     *
     * @param what   "'integration' passed in staging on 1a2b...": "recorded WHAT", "WHAT is not recorded"
     * @param detail appended to the success note, e.g. the reports' counts
     * @param notes  more notes for a success
     */
    record Description(String what, String detail, List<String> notes) {

        Description {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Appends the line to the notes ref, or with a remote pushes it there with git so that the
     * remote's hooks judge it; the outcome carries what they printed.
     */
    static Outcome write(EvidenceRecorder recorder, NoteRecord record, String line, PersonIdent committer,
            Optional<String> pushRemote, String notesRef, Description description) throws IOException {
        if (pushRemote.isEmpty()) {
            recorder.append(record, line, committer);
            return accepted("recorded " + description.what() + " (" + notesRef + ")" + description.detail(),
                    description.notes(), List.of());
        }
        String remote = pushRemote.get();
        PushReport report = recorder.appendAndPush(record, line, committer, remote);
        List<String> remoteLines = report.remoteLines().stream().map(text -> "remote: " + text).toList();
        // a record the server refused is not recorded here either (exit status 1); one that could not be pushed, 3
        return switch (report.status()) {
            case ACCEPTED -> accepted("recorded " + description.what() + " (" + notesRef + ", pushed to " + remote + ")"
                    + description.detail(), description.notes(), remoteLines);
            case REFUSED -> new Outcome(new Verdict(List.of(Violation.runError(remote + " refused the push ("
                    + report.reason() + "), so " + description.what() + " is not recorded"
                    + (remoteLines.isEmpty() ? "" : "; see the server's remote: lines")).inContext(notesRef, null, null)),
                    remoteLines), ExitStatus.REJECTED);
            case OUTDATED, FAILED -> new Outcome(new Verdict(List.of(Violation.runError(report.reason()
                    + "; " + description.what() + " is not recorded").inContext(notesRef, null, null)), remoteLines),
                    ExitStatus.CANNOT_JUDGE);
        };
    }

    private static Outcome accepted(String recorded, List<String> notes, List<String> remoteLines) {
        return new Outcome(new Verdict(List.of(), Stream.of(Stream.of(recorded), notes.stream(), remoteLines.stream())
                .flatMap(lines -> lines).toList()), ExitStatus.ACCEPTED);
    }

    static Outcome refusal(String message, ExitStatus status) {
        return new Outcome(Verdict.of(List.of(Violation.runError(message))), status);
    }
}
