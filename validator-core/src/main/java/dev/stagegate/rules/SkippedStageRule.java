package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.UpstreamMode;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The heart of stagegate: an environment may only receive content its upstream environment
 * already has. Content decides, never branch names or ancestry: a merge of the upstream tip
 * that adds one extra file is rejected, a squash with equal content is accepted.
 */
public final class SkippedStageRule implements Rule {

    private static final int MAX_PATHS_NAMED = 10;

    @Override
    public String id() {
        return RuleIds.SKIPPED_STAGE;
    }

    @Override
    public String summary() {
        return "an environment branch only receives content that its upstream environment already carries";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Optional<Environment> target = update.environment();
        if (target.isEmpty() || target.get().promotesFrom().isEmpty() || !update.isPromotion()) {
            return List.of();
        }
        Environment environment = target.get();
        List<Environment> upstreams = update.policy().graph().upstreamsOf(environment.name());
        List<Environment> missingBranch = new ArrayList<>();
        List<Environment> lacking = new ArrayList<>();
        int found = 0;
        for (Environment upstream : upstreams) {
            if (ContentSearch.tipOf(update, upstream).isEmpty()) {
                missingBranch.add(upstream);
            } else if (carries(update, upstream)) {
                found++;
            } else {
                lacking.add(upstream);
            }
        }
        boolean accepted = environment.upstreams() == UpstreamMode.ANY ? found > 0 : found == upstreams.size();
        if (accepted) {
            return List.of();
        }
        if (!missingBranch.isEmpty() && lacking.isEmpty()) {
            return List.of(Violation.error(id(), "branch '" + environment.branch() + "' of environment "
                    + environment.name() + " promotes from " + describe(missingBranch)
                    + ", whose branch does not exist yet; create the branches in promotion order: "
                    + HotfixRoute.promotionOrder(update, environment)));
        }
        // One finding per update, however many upstreams lack the content: each named once.
        return List.of(Violation.error(id(), upstreams.size() == 1
                ? explainOne(update, environment, lacking.get(0))
                : explainSeveral(update, environment, lacking, missingBranch)));
    }

    private static boolean carries(UpdateContext update, Environment upstream) throws IOException {
        if (update.policy().promotion().fastForwardOnly()) {
            return ContentSearch.findExact(update, upstream, update.newCommit()).isPresent();
        }
        return ContentSearch.find(update, upstream, update.newContent()).isPresent();
    }

    private String explainOne(UpdateContext update, Environment environment, Environment upstream)
            throws IOException {
        StringBuilder message = new StringBuilder();
        if (update.policy().promotion().fastForwardOnly()) {
            message.append("promotion.fastForwardOnly: the new tip of '").append(environment.branch())
                    .append("' must itself be a commit of ").append(upstream.name()).append(" (branch '")
                    .append(upstream.branch()).append("')");
        } else {
            message.append("the content pushed to '").append(environment.branch()).append("' (")
                    .append(environment.name()).append(") is not in ").append(upstream.name())
                    .append(" (branch '").append(upstream.branch()).append("', last ")
                    .append(update.history().searchDepth()).append(" first-parent commits)");
        }
        List<Environment> skipped = skippedStages(update, environment);
        if (!skipped.isEmpty()) {
            message.append("; it was found further up the chain, so it is not yet in ").append(names(skipped));
        }
        appendDifferences(update, List.of(upstream), "differs from " + upstream.branch() + " in ", message);
        Optional<String> hotfix = HotfixRoute.describe(update, environment, List.of(upstream), upstream.name());
        message.append(hotfix.orElse("; promote through " + upstream.branch() + " first"));
        return message.toString();
    }

    /**
     * The fan-in wording: one finding that names each upstream that lacks the content once, in
     * {@code promotesFrom} order, and says the paths and commits once for all of them.
     */
    private String explainSeveral(UpdateContext update, Environment environment, List<Environment> lacking,
            List<Environment> missingBranch) throws IOException {
        boolean any = environment.upstreams() == UpstreamMode.ANY;
        StringBuilder message = new StringBuilder();
        if (update.policy().promotion().fastForwardOnly()) {
            message.append("promotion.fastForwardOnly: the new tip of '").append(environment.branch())
                    .append("' must itself be a commit of ").append(any ? "one of " : "each of ")
                    .append(labels(lacking));
        } else {
            message.append("the content pushed to '").append(environment.branch()).append("' (")
                    .append(environment.name()).append(") is not in ").append(labels(lacking))
                    .append(" (last ").append(update.history().searchDepth())
                    .append(" first-parent commits of each; upstreams: ").append(any ? "any, one" : "all, each")
                    .append(" must carry it)");
        }
        if (!missingBranch.isEmpty()) {
            message.append("; ").append(labels(missingBranch))
                    .append(missingBranch.size() == 1 ? " has" : " have").append(" no branch yet");
        }
        List<Environment> skipped = new ArrayList<>(skippedStages(update, environment));
        if (!skipped.isEmpty()) {
            skipped.removeAll(update.policy().graph().upstreamsOf(environment.name()));
            message.append("; it was found further up the chain");
            if (!skipped.isEmpty()) {
                message.append(", so it is not yet in ").append(names(skipped));
            }
        }
        String them = lacking.size() == 1 ? "it" : "them";
        appendDifferences(update, lacking, "differs from " + them + " in ", message);
        Optional<String> hotfix = HotfixRoute.describe(update, environment, lacking,
                lacking.size() == 1 ? "that upstream" : "those upstreams");
        message.append(hotfix.orElse("; promote through " + (any && lacking.size() > 1 ? "one of them" : them)
                + " first"));
        return message.toString();
    }

    /**
     * The paths where the new tip differs from the tips of {@code upstreams} (each path once)
     * and the commits that brought them, which none of those tips has.
     */
    private static void appendDifferences(UpdateContext update, List<Environment> upstreams, String lead,
            StringBuilder message) throws IOException {
        List<RevCommit> tips = HotfixRoute.tips(update, upstreams);
        Set<String> differing = new LinkedHashSet<>();
        for (RevCommit tip : tips) {
            differing.addAll(update.contentKeys().differences(tip, update.newCommit(), MAX_PATHS_NAMED + 1));
        }
        if (differing.isEmpty()) {
            return;
        }
        List<String> paths = new ArrayList<>(differing);
        message.append("; ").append(lead)
                .append(String.join(", ", paths.subList(0, Math.min(paths.size(), MAX_PATHS_NAMED))));
        if (paths.size() > MAX_PATHS_NAMED) {
            message.append(", ...");
        }
        List<RevCommit> commits = HotfixRoute.commitsNotIn(update, update.newCommit(), tips, Optional.of(paths));
        if (!commits.isEmpty()) {
            message.append(" (brought by ").append(HotfixRoute.describeCommits(commits)).append(")");
        }
    }

    /**
     * Where the new content is found further up the chain, the environments above the target
     * that lack it and lie below one that carries it, upstream-most first ("testing, staging"
     * for develop into main).
     */
    private static List<Environment> skippedStages(UpdateContext update, Environment target) throws IOException {
        List<Environment> above = update.policy().graph().chainAbove(target.name());
        List<Environment> upstreams = update.policy().graph().upstreamsOf(target.name());
        List<Environment> carriers = new ArrayList<>();
        List<Environment> lacking = new ArrayList<>();
        for (Environment candidate : update.policy().graph().topologicalOrder()) {
            if (!above.contains(candidate)) {
                continue;
            }
            if (ContentSearch.find(update, candidate, update.newContent()).isPresent()) {
                // A direct upstream that carries it is no stage skipped: only one that lacks it is.
                if (!upstreams.contains(candidate)) {
                    carriers.add(candidate);
                }
            } else {
                lacking.add(candidate);
            }
        }
        List<Environment> skipped = new ArrayList<>();
        for (Environment candidate : lacking) {
            List<Environment> itsAbove = update.policy().graph().chainAbove(candidate.name());
            if (carriers.stream().anyMatch(itsAbove::contains)) {
                skipped.add(candidate);
            }
        }
        return skipped;
    }

    private static String describe(List<Environment> environments) {
        return environments.stream().map(e -> e.name() + " (branch '" + e.branch() + "')")
                .collect(Collectors.joining(", "));
    }

    /** Environments by name, the branch added only where it is named otherwise. */
    private static String labels(List<Environment> environments) {
        return environments.stream()
                .map(e -> e.branch().equals(e.name()) ? e.name() : e.name() + " (branch '" + e.branch() + "')")
                .collect(Collectors.joining(", "));
    }

    private static String names(List<Environment> environments) {
        return environments.stream().map(Environment::name).collect(Collectors.joining(", "));
    }

}
