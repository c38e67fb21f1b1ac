package dev.stagegate.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A one-line summary per rule id of policy-v1.md, plus the pseudo id {@link Violation#RUN_ERROR},
 * for formats that describe their rules (SARIF's {@code rules}). The ids are spelled out here
 * rather than taken from the policy package, so that reports depend on nothing but themselves;
 * a test keeps the two lists equal.
 */
public final class RuleSummaries {

    private static final Map<String, String> SUMMARIES = summaries();

    /** Rules that report warnings unless a policy makes them errors. */
    private static final Set<String> WARNING_BY_DEFAULT = Set.of("policy-loosened", "environment-leak", "bypass-used");

    private RuleSummaries() {
    }

    private static Map<String, String> summaries() {
        Map<String, String> summaries = new LinkedHashMap<>();
        summaries.put("policy-invalid", "The policy fails its schema or its semantic checks.");
        summaries.put("policy-loosened",
                "An update relaxes the policy: evidence, promotion paths, bypass users, writers, modes or protections.");
        summaries.put("schema-violation", "A changed file fails the JSON Schema the policy maps it to.");
        summaries.put("branch-deletion", "An environment branch is deleted while deletion is denied.");
        summaries.put("force-push", "An environment branch is rewritten (not a fast-forward) while force pushes are denied.");
        summaries.put("skipped-stage", "The new content of an environment was never in its upstream environment.");
        summaries.put("missing-evidence", "A promotion lacks a passing, recent enough test record the environment requires.");
        summaries.put("missing-approval", "A promotion lacks the approvals the environment requires, or an approver rejected it.");
        summaries.put("freeze-window", "An environment branch is updated inside one of its freeze windows.");
        summaries.put("environment-leak", "An environment-specific file is changed to the upstream environment's version.");
        summaries.put("ref-shadowing", "A tag or other ref has the short name of an environment branch.");
        summaries.put("evidence-tamper",
                "An update of the evidence notes ref removes, changes or forges records, or comes from a pusher not admitted.");
        summaries.put("bypass-used", "An audited bypass turned errors into warnings.");
        summaries.put(Violation.RUN_ERROR, "The run itself failed: the repository or the policy cannot be judged.");
        return Collections.unmodifiableMap(summaries);
    }

    /** Every id with a summary, in policy-v1.md's order, then {@link Violation#RUN_ERROR}. */
    public static Set<String> ids() {
        return SUMMARIES.keySet();
    }

    /** The summary of ruleId, or the id itself for an id this version does not know. */
    public static String of(String ruleId) {
        return SUMMARIES.getOrDefault(ruleId, ruleId);
    }

    /** The severity a rule reports with when the policy sets no mode for it. */
    public static Severity defaultSeverity(String ruleId) {
        return WARNING_BY_DEFAULT.contains(ruleId) ? Severity.WARNING : Severity.ERROR;
    }
}
