package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.Pusher;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import dev.stagegate.policy.ClosestName;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.CustomRuleDescriptions;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.rules.UpdateContext;
import dev.stagegate.rules.UpdateKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * {@code stagegate check-promotion}: the pull-request check. Judges "merge SOURCE into the
 * target environment's branch" with the same rules as the hook, in memory: the result is the
 * source's content with the target's own environment-specific files, so nothing is merged,
 * written or checked out. Branches are read from {@code refs/remotes/origin/*} first, as a
 * CI checkout has them.
 */
public final class PromotionCheck {

    private final PolicyLoader loader;
    private final RuleRunner rules;

    public PromotionCheck(PolicyLoader loader, RuleRegistry registry) {
        this.loader = loader;
        this.rules = new RuleRunner(registry);
    }

    public Outcome run(PromotionRequest request, Optional<Policy> serverPolicy, Instant now) throws IOException {
        try (Repository repository = RepositoryOpener.open(request.repository());
                RepositoryView view = new RepositoryView(repository, RepositoryView.BranchSource.REMOTE_FIRST)) {
            if (view.isShallow()) {
                return cannotJudge("this is a shallow clone, so promotion history cannot be checked; fetch the full"
                        + " history (actions/checkout with fetch-depth: 0, GitLab GIT_DEPTH: 0, or git fetch --unshallow)");
            }
            ObjectId source = repository.resolve(request.source());
            if (source == null) {
                return cannotJudge("source revision '" + request.source() + "' does not exist");
            }
            PolicyResolver resolver = new PolicyResolver(view, loader, serverPolicy);
            Optional<String> branch = targetBranch(view, resolver, request.target());
            if (branch.isEmpty()) {
                return Outcome.usageError(unknownTarget(resolver, request.target()));
            }
            Optional<ObjectId> targetTip = view.branchTip(branch.get());
            if (targetTip.isEmpty()) {
                return cannotJudge("target branch '" + branch.get() + "' is not fetched: git fetch origin "
                        + branch.get());
            }
            GoverningPolicy governing = resolver.forBranch(branch.get());
            List<Violation> violations = new ArrayList<>(governing.problems());
            if (governing.policy().isEmpty()) {
                Verdict verdict = new Verdict(violations, governing.unusable() ? List.of()
                        : List.of("no policy governs branch " + branch.get() + "; accepted"));
                return new Outcome(verdict, governing.unusable() ? governing.status() : ExitStatus.ACCEPTED);
            }
            RefUpdate update = new RefUpdate(targetTip.get(), source, Constants.R_HEADS + branch.get());
            UpdateContext context = new UpdateContext(update, UpdateKind.PULL_REQUEST, governing.policy().get(),
                    view, Pusher.ANONYMOUS, now, loader)
                    .withServerSchemaLocations(ServerSchemaLocations.parse(request.schemaLocations()));
            Optional<String> unfetched = context.isPromotion()
                    ? unfetchedBranch(view, governing.policy().get(), branch.get()) : Optional.empty();
            if (unfetched.isPresent()) {
                return cannotJudge("branch '" + unfetched.get() + "', which this promotion is judged against, is"
                        + " not in this clone: git fetch origin " + unfetched.get());
            }
            violations.addAll(rules.run(context));
            Verdict verdict = Verdict.of(violations)
                    .withCustomRules(CustomRuleDescriptions.of(governing.policy().get()));
            ExitStatus status = verdict.rejected() ? ExitStatus.REJECTED : ExitStatus.ACCEPTED;
            return new Outcome(verdict, status.worse(governing.status()));
        }
    }

    /** A branch name as given, else the branch of the environment of that name. */
    private static Optional<String> targetBranch(RepositoryView view, PolicyResolver resolver, String target)
            throws IOException {
        String shortened = Repository.shortenRefName(target);
        if (shortened.startsWith("origin/")) {
            shortened = shortened.substring("origin/".length());
        }
        if (view.branchTip(shortened).isPresent()) {
            return Optional.of(shortened);
        }
        GoverningPolicy fallback = resolver.forBranch(shortened);
        if (fallback.policy().isPresent()) {
            Optional<Environment> environment = fallback.policy().get().environment(shortened);
            if (environment.isPresent()) {
                return Optional.of(environment.get().branch());
            }
            if (fallback.policy().get().environmentOfBranch(shortened).isPresent()) {
                return Optional.of(shortened);
            }
        }
        return Optional.empty();
    }

    /** Names the environments a target can be, and the one meant when the target is a typo of it. */
    private static String unknownTarget(PolicyResolver resolver, String target) throws IOException {
        Optional<Policy> policy = resolver.forBranch(target).policy();
        if (policy.isEmpty()) {
            return "unknown target '" + target + "': it is no branch, and no policy names environments";
        }
        List<String> names = policy.get().environments().stream().map(Environment::name).toList();
        List<String> candidates = new ArrayList<>(names);
        policy.get().environments().stream().map(Environment::branch).filter(b -> !names.contains(b))
                .forEach(candidates::add);
        return "unknown target '" + target + "'; environments: " + String.join(", ", names)
                + ClosestName.meant(target, candidates).map(name -> " (did you mean '" + name + "'?)").orElse("");
    }

    /**
     * The first branch a promotion into {@code branch} is judged against (its upstreams', its
     * evidence environments') that this clone lacks. In a clone a missing branch means "not
     * fetched", not "does not exist yet": judging without it would give a wrong verdict.
     */
    private static Optional<String> unfetchedBranch(RepositoryView view, Policy policy, String branch)
            throws IOException {
        Optional<Environment> target = policy.environmentOfBranch(branch);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        List<Environment> needed = new ArrayList<>(policy.graph().upstreamsOf(target.get().name()));
        for (EvidenceRequirement requirement : target.get().requiresEvidence()) {
            policy.environment(requirement.environment()).ifPresent(needed::add);
        }
        for (Environment environment : needed) {
            if (view.branchTip(environment.branch()).isEmpty()) {
                return Optional.of(environment.branch());
            }
        }
        return Optional.empty();
    }

    private static Outcome cannotJudge(String message) {
        return new Outcome(Verdict.of(List.of(Violation.runError(message))), ExitStatus.CANNOT_JUDGE);
    }
}
