package dev.stagegate.rules;

import dev.stagegate.kubernetes.KubernetesSettings;
import dev.stagegate.policy.ApprovalRequirement;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.EvidenceRequirement;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.Protections;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.policy.SignatureMode;
import dev.stagegate.report.Violation;
import dev.stagegate.signature.AllowedSigners;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Policy changes travel the promotion chain like any other content, but a change that makes
 * the gate weaker deserves attention: platform teams set this rule to enforce so loosening
 * needs an audited bypass. Compares the pushed policy with the one that governs the push.
 */
public final class PolicyLoosenedRule implements Rule {

    /** How much of a changed expression a finding quotes: enough to recognise it on one line. */
    private static final int EXCERPT_LENGTH = 120;

    @Override
    public String id() {
        return RuleIds.POLICY_LOOSENED;
    }

    @Override
    public String summary() {
        return "a policy change on an environment branch must not relax the gate";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        if (!update.isEnvironmentBranch() || !update.changesPolicyFile()) {
            return List.of();
        }
        Optional<PolicyLoadResult> pushed = update.pushedPolicy();
        List<String> loosenings = new ArrayList<>();
        if (pushed.isEmpty()) {
            loosenings.add("removes " + PolicyLoader.DEFAULT_PATH);
        } else if (pushed.get().valid()) {
            loosenings.addAll(compare(update.policy(), pushed.get().policy().orElseThrow()));
        }
        return loosenings.stream()
                .map(what -> Violation.error(id(), "this update loosens the policy: " + what)
                        .at(PolicyLoader.DEFAULT_PATH, 0, 0))
                .toList();
    }

    static List<String> compare(Policy before, Policy after) {
        List<String> loosenings = new ArrayList<>();
        for (Environment old : before.environments()) {
            Optional<Environment> now = after.environment(old.name());
            if (now.isEmpty()) {
                loosenings.add("removes environment " + old.name());
                continue;
            }
            if (!now.get().promotesFrom().equals(old.promotesFrom()) || now.get().upstreams() != old.upstreams()) {
                loosenings.add("changes where " + old.name() + " promotes from");
            }
            if (!now.get().branch().equals(old.branch())) {
                loosenings.add("moves " + old.name() + " to another branch");
            }
            for (EvidenceRequirement requirement : old.requiresEvidence()) {
                Optional<EvidenceRequirement> kept = now.get().requiresEvidence().stream()
                        .filter(r -> r.suite().equals(requirement.suite())
                                && r.environment().equals(requirement.environment()))
                        .findFirst();
                if (kept.isEmpty()) {
                    loosenings.add("removes the '" + requirement.suite() + "' evidence requirement of " + old.name());
                } else if (requirement.maxAge() != null && (kept.get().maxAge() == null
                        || kept.get().maxAge().compareTo(requirement.maxAge()) > 0)) {
                    loosenings.add("relaxes maxAge of the '" + requirement.suite() + "' evidence of " + old.name());
                }
                if (kept.isPresent() && requirement.minAge() != null && (kept.get().minAge() == null
                        || kept.get().minAge().compareTo(requirement.minAge()) < 0)) {
                    loosenings.add((kept.get().minAge() == null ? "removes" : "lowers") + " minAge of the '"
                            + requirement.suite() + "' evidence of " + old.name());
                }
            }
            if (now.get().freezes().size() < old.freezes().size()) {
                loosenings.add("removes a freeze window of " + old.name());
            }
            compareApprovals(old, now.get(), before, after, loosenings);
        }
        compareKubernetes(before, after, loosenings);
        compareIdentities(before, after, loosenings);
        compareSignatures(before, after, loosenings);
        if (!before.environmentSpecificPaths().containsAll(after.environmentSpecificPaths())) {
            loosenings.add("adds environment-specific paths (they are never promoted or compared)");
        }
        addIfWidened(loosenings, "bypass users", before.bypassUsers(), after.bypassUsers());
        if (before.evidence().writers().isPresent()) {
            addIfWidened(loosenings, "evidence writers", before.evidence().writers().get(),
                    after.evidence().writers().orElse(null));
        }
        if (before.evidence().trustedProducers().isPresent()) {
            addIfWidened(loosenings, "trusted producers", before.evidence().trustedProducers().get(),
                    after.evidence().trustedProducers().orElse(null));
        }
        if (!before.evidence().notesRef().equals(after.evidence().notesRef())) {
            loosenings.add("moves the evidence notes ref");
        }
        compareProtections(before, after, "allows force pushes", Protections::forcePushAllowed, loosenings);
        compareProtections(before, after, "allows branch deletion", Protections::deletionAllowed, loosenings);
        if (before.promotion().fastForwardOnly() && !after.promotion().fastForwardOnly()) {
            loosenings.add("turns off fastForwardOnly");
        }
        compareCustomRules(before, after, loosenings);
        List<String> ruleIds = new ArrayList<>(RuleIds.ALL);
        before.customRules().stream().map(CustomRule::id).filter(id -> after.customRule(id).isPresent())
                .forEach(ruleIds::add);
        for (String rule : ruleIds) {
            RuleMode was = before.modeOf(rule);
            RuleMode is = after.modeOf(rule);
            if (is.ordinal() > was.ordinal()) {
                loosenings.add("sets " + rule + " to " + is.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return loosenings;
    }

    /**
     * A custom rule judges less when it is removed or matches fewer environments, files or kinds
     * (an absent list is the widest: every environment, every document). Whether a changed
     * expression is weaker cannot be decided in general, so every change is named with both texts.
     * Its mode is compared with the built-in rules' above.
     */
    private static void compareCustomRules(Policy before, Policy after, List<String> loosenings) {
        for (CustomRule old : before.customRules()) {
            Optional<CustomRule> kept = after.customRule(old.id());
            if (kept.isEmpty()) {
                loosenings.add("removes rule " + old.id());
                continue;
            }
            CustomRule now = kept.get();
            if (!now.environments().isEmpty()) {
                List<String> judged = old.environments().isEmpty()
                        ? before.environments().stream().map(Environment::name).toList()
                        : old.environments();
                addIfDropped(loosenings, "the environments of rule " + old.id(), judged, now.environments());
            }
            addIfDropped(loosenings, "the files of rule " + old.id(), old.files(), now.files());
            if (old.kinds().isEmpty() && !now.kinds().isEmpty()) {
                loosenings.add("narrows rule " + old.id() + " to the kinds " + String.join(", ", now.kinds())
                        + " (it judged every document)");
            } else if (!now.kinds().isEmpty()) {
                addIfDropped(loosenings, "the kinds of rule " + old.id(), old.kinds(), now.kinds());
            }
            if (!now.expression().equals(old.expression())) {
                loosenings.add("changes the expression of rule " + old.id() + " from '" + excerpt(old.expression())
                        + "' to '" + excerpt(now.expression()) + "' (whether it is weaker cannot be decided: review it)");
            }
        }
    }

    private static void addIfDropped(List<String> loosenings, String what, List<String> before, List<String> after) {
        List<String> dropped = before.stream().filter(entry -> !after.contains(entry)).toList();
        if (!dropped.isEmpty()) {
            loosenings.add("narrows " + what + ": removes " + String.join(", ", dropped));
        }
    }

    /** An expression on one line, its whitespace collapsed, cut to a length a message can carry. */
    private static String excerpt(String expression) {
        String oneLine = expression.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= EXCERPT_LENGTH) {
            return oneLine;
        }
        int cut = EXCERPT_LENGTH - 3;
        return oneLine.substring(0, Character.isHighSurrogate(oneLine.charAt(cut - 1)) ? cut - 1 : cut) + "...";
    }

    private static void compareApprovals(Environment old, Environment now, Policy before, Policy after,
            List<String> loosenings) {
        if (old.requiresApproval().isEmpty()) {
            return;
        }
        ApprovalRequirement was = old.requiresApproval().get();
        if (now.requiresApproval().isEmpty()) {
            loosenings.add("removes requiresApproval of " + old.name());
            return;
        }
        ApprovalRequirement is = now.requiresApproval().get();
        if (is.count() < was.count()) {
            loosenings.add("lowers the approvals " + old.name() + " needs from " + was.count() + " to " + is.count());
        }
        Set<String> approversBefore = before.people().expand(was.from());
        List<String> added = after.people().expand(is.from()).stream()
                .filter(identity -> !approversBefore.contains(identity)).toList();
        if (!added.isEmpty()) {
            loosenings.add("widens who may approve " + old.name() + ": adds " + String.join(", ", added));
        }
        if (was.notAuthor() && !is.notAuthor()) {
            loosenings.add("turns off notAuthor for " + old.name() + " (authors could approve their own changes)");
        }
        if (was.maxAge() != null && (is.maxAge() == null || is.maxAge().compareTo(was.maxAge()) > 0)) {
            loosenings.add("relaxes maxAge of the approvals of " + old.name());
        }
    }

    /**
     * A top-level default that now allows is one loosening; environments that now allow on their
     * own (an environment's protections, or an environment that no longer overrides an allowing
     * default) are another, named, so that a rollback opened on production does not pass unseen.
     */
    private static void compareProtections(Policy before, Policy after, String what,
            Predicate<Protections> allows, List<String> loosenings) {
        boolean defaultLoosened = !allows.test(before.protections()) && allows.test(after.protections());
        if (defaultLoosened) {
            loosenings.add(what);
        }
        List<String> environments = new ArrayList<>();
        for (Environment old : before.environments()) {
            Optional<Environment> now = after.environment(old.name());
            if (now.isPresent() && !allows.test(old.protections()) && allows.test(now.get().protections())
                    && !(defaultLoosened && now.get().protections().equals(after.protections()))) {
                environments.add(old.name());
            }
        }
        if (!environments.isEmpty()) {
            loosenings.add(what + " on " + String.join(", ", environments));
        }
    }

    /**
     * The {@code kubernetes} section checks resources; what lets more of them through unchecked
     * or less strictly checked loosens the gate. New schema locations or CRD globs do not: they
     * only decide where a schema comes from, and a resource is still checked against one.
     */
    private static void compareKubernetes(Policy before, Policy after, List<String> loosenings) {
        if (before.kubernetes().isEmpty()) {
            return;
        }
        KubernetesSettings was = before.kubernetes().get();
        if (after.kubernetes().isEmpty()) {
            loosenings.add("removes the kubernetes section (resources are no longer checked)");
            return;
        }
        KubernetesSettings is = after.kubernetes().get();
        if (was.strict() && !is.strict()) {
            loosenings.add("turns off kubernetes.strict (unknown fields pass)");
        }
        if (is.missingSchema().ordinal() > was.missingSchema().ordinal()) {
            loosenings.add("relaxes kubernetes.missingSchema from " + was.missingSchema().label() + " to "
                    + is.missingSchema().label());
        }
        addIfAdded(loosenings, "kubernetes.skipKinds", was.skipKinds(), is.skipKinds());
        addIfDropped(loosenings, "kubernetes.manifests", was.manifests(), is.manifests());
        addIfAdded(loosenings, "kubernetes.exclude", was.exclude(), is.exclude());
    }

    private static void addIfAdded(List<String> loosenings, String what, List<String> before, List<String> after) {
        List<String> added = after.stream().filter(entry -> !before.contains(entry)).toList();
        if (!added.isEmpty()) {
            loosenings.add("adds to " + what + ": " + String.join(", ", added));
        }
    }

    /** Fewer e-mail addresses for an identity means notAuthor recognises fewer of their commits. */
    private static void compareIdentities(Policy before, Policy after, List<String> loosenings) {
        before.people().identities().forEach((identity, emails) -> {
            List<String> kept = after.people().identities().getOrDefault(identity, List.of());
            List<String> dropped = emails.stream().filter(email -> !kept.contains(email)).toList();
            if (!dropped.isEmpty()) {
                loosenings.add("removes e-mail addresses of " + identity + " from identities ("
                        + String.join(", ", dropped) + "), so notAuthor no longer recognises their commits");
            }
        });
    }

    /**
     * Weaker signatures, or keys added to the allowed signers. While signatures were off the
     * file decided nothing, so turning them on with its first lines tightens the gate.
     */
    private static void compareSignatures(Policy before, Policy after, List<String> loosenings) {
        SignatureMode was = before.evidence().signatures();
        SignatureMode is = after.evidence().signatures();
        if (is.ordinal() < was.ordinal()) {
            loosenings.add("weakens evidence.signatures from " + was.label() + " to " + is.label());
        }
        if (was == SignatureMode.OFF || is == SignatureMode.OFF) {
            return;
        }
        AllowedSigners old = before.allowedSigners().orElse(AllowedSigners.empty(""));
        List<AllowedSigners.Entry> added = after.allowedSigners()
                .map(signers -> signers.addedSince(old)).orElse(List.of());
        for (AllowedSigners.Entry entry : added) {
            loosenings.add("adds a key to the allowed signers: " + entry.principals() + " " + entry.keyType() + " "
                    + entry.fingerprint() + " (line " + entry.line() + ")");
        }
    }

    /** A null {@code after} means "anyone", the widest there is. */
    private static void addIfWidened(List<String> loosenings, String what, Set<String> before, Set<String> after) {
        if (after == null) {
            loosenings.add("removes the list of " + what + " (anyone would do)");
        } else if (!before.containsAll(after)) {
            List<String> added = after.stream().filter(name -> !before.contains(name)).sorted().toList();
            loosenings.add("adds " + what + " " + String.join(", ", added));
        }
    }
}
