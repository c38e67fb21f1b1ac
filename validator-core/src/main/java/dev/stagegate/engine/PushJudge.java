package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.evidence.VerifiedSignatures;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import dev.stagegate.policy.CustomRuleDescriptions;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.PolicyInvalidRule;
import dev.stagegate.rules.Rule;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.rules.UpdateContext;
import dev.stagegate.rules.UpdateKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;

/**
 * Judges every ref update of one push, in the hook. Each update is judged by the policy that
 * governs it and against the refs as they were before the push, so nothing pushed alongside
 * (staging's new content, evidence, a tag) can vouch for anything else in the same push.
 */
public final class PushJudge {

    private final PolicyLoader loader;
    private final RuleRunner rules;
    private final Rule firstPolicyCheck = new PolicyInvalidRule();

    public PushJudge(PolicyLoader loader, RuleRegistry registry) {
        this.loader = loader;
        this.rules = new RuleRunner(registry);
    }

    public Outcome judge(PushRequest request, Optional<Policy> serverPolicy, Instant now) throws IOException {
        List<Violation> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ExitStatus status = ExitStatus.ACCEPTED;
        List<UpdateVerdict> judged = new ArrayList<>();
        try (RepositoryView repository = new RepositoryView(request.repository(), RepositoryView.BranchSource.LOCAL)) {
            Path gitDirectory = request.repository().getDirectory() == null ? null
                    : request.repository().getDirectory().toPath();
            repository.keepVerifiedSignatures(VerifiedSignatures.in(gitDirectory));
            PolicyResolver resolver = new PolicyResolver(repository, loader, serverPolicy,
                    ValidatedPolicies.in(gitDirectory));
            NotesRefPolicies notesRefPolicies = null;
            for (RefUpdate update : request.updates()) {
                GoverningPolicy governing = resolver.forUpdate(update);
                List<Policy> evidencePolicies = governing.policy().map(List::of).orElse(List.of());
                List<Violation> problems = governing.problems();
                ExitStatus found = governing.status();
                if (update.refName().startsWith(Constants.R_NOTES) && !governing.unusable()) {
                    if (notesRefPolicies == null) {
                        notesRefPolicies = resolver.notesRefPolicies();
                    }
                    // these include the problems of the policy that governs the notes ref as a ref
                    evidencePolicies = notesRefPolicies.policies();
                    problems = notesRefPolicies.problems();
                    found = notesRefPolicies.status();
                    if (governing.policy().isEmpty()) {
                        // no default-branch policy: the environment branches' own policies guard their evidence
                        Optional<Policy> guarding = evidencePolicies.stream()
                                .filter(p -> p.evidence().notesRef().equals(update.refName())).findFirst();
                        if (guarding.isPresent()) {
                            governing = GoverningPolicy.of(guarding.get(), "the environment branches' policies");
                        }
                    }
                }
                status = status.worse(found);
                List<Violation> violationsOfUpdate = new ArrayList<>();
                for (Violation problem : problems) {
                    violationsOfUpdate.add(problem.inContext(update.refName(), null, null));
                }
                if (found != ExitStatus.ACCEPTED) {
                    violations.addAll(violationsOfUpdate);
                    continue;
                }
                if (governing.policy().isEmpty()) {
                    List<Violation> firstPolicy = checkFirstPolicy(update, repository, request, now);
                    if (firstPolicy.isEmpty()) {
                        notes.add("no policy governs " + update.refName() + "; accepted");
                    }
                    violations.addAll(violationsOfUpdate);
                    violations.addAll(firstPolicy);
                    continue;
                }
                Policy policy = governing.policy().get();
                UpdateContext context = new UpdateContext(update, UpdateKind.PUSH, policy, evidencePolicies,
                        repository, request.pusher(), now, loader)
                        .withServerSchemaLocations(ServerSchemaLocations.parse(request.schemaLocations()));
                if (request.deadlineNanoTime().isPresent()) {
                    context = context.withDeadline(request.deadlineNanoTime().getAsLong());
                }
                violationsOfUpdate.addAll(rules.run(context));
                judged.add(new UpdateVerdict(update, policy, violationsOfUpdate));
            }
        }
        BypassDecision bypass = BypassDecision.decide(request, judged);
        notes.addAll(bypass.notes());
        List<AuditLog.Entry> audited = new ArrayList<>();
        for (UpdateVerdict verdict : judged) {
            if (bypass.applies()) {
                List<Violation> bypassed = new ArrayList<>();
                for (Violation violation : verdict.violations()) {
                    if (violation.isError() && isBypassable(violation)) {
                        bypassed.add(violation);
                        violations.add(violation.withSeverity(Severity.WARNING));
                    } else {
                        violations.add(violation);
                    }
                }
                if (!bypassed.isEmpty()) {
                    violations.add(Violation.warning(RuleIds.BYPASS_USED, request.pusher().describe()
                            + " bypassed " + bypassed.size() + " error(s) with reason: " + bypass.reason())
                            .inContext(verdict.update().refName(), null, null));
                    audited.add(new AuditLog.Entry(now, request.pusher().identity().orElse(""),
                            verdict.update().refName(), verdict.update().oldId().name(),
                            verdict.update().newId().name(), bypass.reason(), bypassed));
                }
            } else {
                violations.addAll(verdict.violations());
            }
        }
        if (!audited.isEmpty()) {
            try {
                new AuditLog(request.auditLog()).append(audited);
            } catch (IOException e) {
                for (AuditLog.Entry entry : audited) {
                    violations.add(Violation.error(RuleIds.BYPASS_USED, "the bypass cannot be recorded in "
                            + request.auditLog() + " (" + e.getMessage() + "), so the push is rejected")
                            .inContext(entry.ref(), null, null));
                }
                status = status.worse(ExitStatus.CANNOT_JUDGE);
            }
        }
        Verdict verdict = new Verdict(violations, notes);
        for (UpdateVerdict judgedUpdate : judged) {
            verdict = verdict.withCustomRules(CustomRuleDescriptions.of(judgedUpdate.policy()));
        }
        if (verdict.rejected()) {
            status = status.worse(ExitStatus.REJECTED);
        }
        return new Outcome(verdict, status);
    }

    /**
     * Where no policy governs yet, a push that brings the first one is still checked: accepting
     * an invalid one would govern every later push with a policy that cannot load, the push
     * that fixes it included (policy-v1.md, {@code policy-invalid}). Never bypassable, as always.
     */
    private List<Violation> checkFirstPolicy(RefUpdate update, RepositoryView repository, PushRequest request,
            Instant now) throws IOException {
        UpdateContext context = UpdateContext.ungoverned(update, repository, request.pusher(), now, loader);
        String commit = update.isDeletion() ? null : update.newId().name();
        List<Violation> violations = new ArrayList<>();
        for (Violation violation : firstPolicyCheck.check(context)) {
            violations.add(violation.inContext(update.refName(), null, commit));
        }
        return violations;
    }

    /** Only rule violations: never the always-enforced rules or an invalid governing policy. */
    private static boolean isBypassable(Violation violation) {
        return !RuleIds.ALWAYS_ENFORCED.contains(violation.rule());
    }

    record UpdateVerdict(RefUpdate update, Policy policy, List<Violation> violations) {
    }
}
