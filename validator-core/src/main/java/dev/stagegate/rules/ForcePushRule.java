package dev.stagegate.rules;

import dev.stagegate.git.Ancestry;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Rewriting an environment's history hides what was deployed; denied by default. */
public final class ForcePushRule implements Rule {

    @Override
    public String id() {
        return RuleIds.FORCE_PUSH;
    }

    @Override
    public String summary() {
        return "the old tip of an environment branch must be an ancestor of the new tip (protections.forcePush)";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty() || update.kind() != UpdateKind.PUSH
                || update.update().isCreation() || update.update().isDeletion()
                || environment.get().protections().forcePushAllowed()) {
            return List.of();
        }
        if (Ancestry.isAncestor(update.repository().reader(), update.oldCommit(), update.newCommit())) {
            return List.of();
        }
        // A reset onto the upstream is the first thing tried to undo a hotfix: name the way that converges.
        Optional<String> hotfix = HotfixRoute.describe(update, environment.get(), upstreams(update),
                "its upstream");
        return List.of(Violation.error(id(), "this push rewrites the history of branch '"
                + environment.get().branch() + "' (environment " + environment.get().name()
                + "): the old tip " + update.update().oldId().name().substring(0, 12)
                + " is not an ancestor of the new tip"
                + hotfix.orElse("; push a commit on top of the current tip instead (git revert to undo a change)")));
    }

    private static List<Environment> upstreams(UpdateContext update) {
        return update.policy().graph().upstreamsOf(update.environment().orElseThrow().name());
    }
}
