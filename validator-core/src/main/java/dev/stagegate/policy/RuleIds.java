package dev.stagegate.policy;

import java.util.List;
import java.util.Set;

/**
 * The stable rule ids of policy-v1.md, and which of them a policy cannot weaken or starts out
 * as warnings. An explicit list, so that the policy schema, {@code ruleModes} and the rule
 * registry agree.
 */
public final class RuleIds {

    public static final String POLICY_INVALID = "policy-invalid";
    public static final String POLICY_LOOSENED = "policy-loosened";
    public static final String SCHEMA_VIOLATION = "schema-violation";
    public static final String BRANCH_DELETION = "branch-deletion";
    public static final String FORCE_PUSH = "force-push";
    public static final String SKIPPED_STAGE = "skipped-stage";
    public static final String MISSING_EVIDENCE = "missing-evidence";
    public static final String MISSING_APPROVAL = "missing-approval";
    public static final String FREEZE_WINDOW = "freeze-window";
    public static final String ENVIRONMENT_LEAK = "environment-leak";
    public static final String REF_SHADOWING = "ref-shadowing";
    public static final String EVIDENCE_TAMPER = "evidence-tamper";
    public static final String BYPASS_USED = "bypass-used";

    /** Every rule id, in the order of policy-v1.md's table. */
    public static final List<String> ALL = List.of(
            POLICY_INVALID,
            POLICY_LOOSENED,
            SCHEMA_VIOLATION,
            BRANCH_DELETION,
            FORCE_PUSH,
            SKIPPED_STAGE,
            MISSING_EVIDENCE,
            MISSING_APPROVAL,
            FREEZE_WINDOW,
            ENVIRONMENT_LEAK,
            REF_SHADOWING,
            EVIDENCE_TAMPER,
            BYPASS_USED);

    /** Rules that neither {@code mode} nor {@code ruleModes} can turn into warnings or off. */
    public static final Set<String> ALWAYS_ENFORCED = Set.of(POLICY_INVALID, EVIDENCE_TAMPER, REF_SHADOWING);

    /** Rules that are warnings unless {@code ruleModes} says otherwise, whatever {@code mode} is. */
    public static final Set<String> DEFAULT_WARN = Set.of(POLICY_LOOSENED, ENVIRONMENT_LEAK);

    private RuleIds() {
    }
}
