package dev.stagegate;

import dev.stagegate.evidence.ApprovalRecord;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code stagegate approve}: a person approves, or rejects, promoting an upstream commit's content
 * into an environment (approvals-signatures.md, "Commands").
 *
 * @param repository  a working tree or a (bare) repository directory
 * @param environment the environment the content is approved into
 * @param commit      the approved revision; empty for the tip of the environment's one upstream branch
 * @param decision    approved, or rejected ({@code --reject})
 * @param comment     free text, at most {@link ApprovalRecord#MAX_COMMENT_LENGTH} characters
 * @param approver    who approves; empty when no identity is known
 * @param signKey     an SSH private key to sign the record with, as {@code ssh-keygen -Y sign} does
 * @param pushRemote  a remote to push the notes ref to
 * @param policyFile  a policy outside the repository
 */
public record ApprovalRequest(
        Path repository,
        String environment,
        Optional<String> commit,
        ApprovalRecord.Decision decision,
        Optional<String> comment,
        Optional<String> approver,
        Optional<Path> signKey,
        Optional<String> pushRemote,
        Optional<Path> policyFile) {

    public ApprovalRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(signKey, "signKey");
        Objects.requireNonNull(pushRemote, "pushRemote");
        Objects.requireNonNull(policyFile, "policyFile");
    }
}
