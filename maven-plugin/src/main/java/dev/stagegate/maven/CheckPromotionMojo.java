package dev.stagegate.maven;

import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.Validator;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Decides whether promoting {@code source} into the target environment's branch would be
 * accepted, as {@code stagegate check-promotion} does: the pull-request check. The target
 * comes from {@code stagegate.target} or else from the CI's pull-request variables; a build
 * that is no pull request has nothing to check. Branches are read from
 * {@code refs/remotes/origin/*} when present, else the local ones.
 */
@Mojo(name = "check-promotion", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class CheckPromotionMojo extends StagegateMojo {

    /**
     * The environment, or branch of an environment, that {@code source} would be promoted into.
     * When unset, the pull request's target branch from GITHUB_BASE_REF (GitHub Actions),
     * CI_MERGE_REQUEST_TARGET_BRANCH_NAME (GitLab), CHANGE_TARGET (Jenkins),
     * BITBUCKET_PR_DESTINATION_BRANCH (Bitbucket) or SYSTEM_PULLREQUEST_TARGETBRANCH (Azure).
     */
    @Parameter(property = "stagegate.target")
    private String target;

    /** The revision promoted; on a CI's merge ref, {@code HEAD} is already the merge result. */
    @Parameter(property = "stagegate.source", defaultValue = "HEAD")
    private String source;

    /**
     * An allowed-signers file (git's format: a principal, options, a public key per line) that
     * replaces the one the policy's {@code evidence.allowedSigners} names: only signatures by
     * the keys it lists count for approvals and evidence. Keep it outside the repository when
     * the people who can change the repository should not choose whose signatures count.
     */
    @Parameter(property = "stagegate.allowedSigners")
    private String allowedSigners;

    @Override
    String goal() {
        return "check-promotion";
    }

    @Override
    Optional<Outcome> judge(Validator validator, Path repository, Optional<Path> policyFile) {
        String branch;
        if (target != null && !target.isBlank()) {
            branch = target.strip();
            getLog().info("stagegate: checking the promotion of " + source + " into '" + branch
                    + "' (stagegate.target)");
        } else {
            Optional<PullRequestTarget> pullRequest = PullRequestTarget.fromEnvironment(variables());
            if (pullRequest.isEmpty()) {
                getLog().info("stagegate:check-promotion skipped: not a pull request (no stagegate.target, and none of "
                        + PullRequestTarget.variableNames() + " is set)");
                return Optional.empty();
            }
            branch = pullRequest.get().branch();
            getLog().info("stagegate: checking the promotion of " + source + " into '" + branch + "' (from "
                    + pullRequest.get().variable() + ", " + pullRequest.get().ci() + ")");
        }
        Optional<Path> signers = Optional.ofNullable(allowedSigners).filter(file -> !file.isBlank()).map(this::path);
        signers.ifPresent(file -> getLog().info("stagegate: allowed signers from " + file + " (stagegate.allowedSigners)"));
        return Optional.of(validator.checkPromotion(new PromotionRequest(repository, branch, source, policyFile,
                signers, schemaLocations())));
    }
}
