package dev.stagegate.status;

import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.Violation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How the content next in line stands against the environment's custom rules, judged as
 * {@code check-promotion} would judge its promotion: per rule that would report, how many
 * findings, as errors (the rule enforced; also an expression that no longer compiles, which is
 * {@code policy-invalid}) or as warnings (the rule in warn mode).
 *
 * @param judged   how many of the policy's rules judge the environment ({@code ruleModes} has
 *                 not turned them off)
 * @param errors   per rule id, the findings that would reject the promotion
 * @param warnings per rule id, the findings that would only warn
 */
public record CustomRuleCounts(int judged, SortedMap<String, Integer> errors, SortedMap<String, Integer> warnings) {

    public CustomRuleCounts {
        errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors));
        warnings = Collections.unmodifiableSortedMap(new TreeMap<>(warnings));
    }

    /** The counts of {@code findings}, the custom rules' violations, in their modes under {@code policy}. */
    static CustomRuleCounts of(int judged, List<Violation> findings, Policy policy) {
        SortedMap<String, Integer> errors = new TreeMap<>();
        SortedMap<String, Integer> warnings = new TreeMap<>();
        for (Violation finding : findings) {
            Map<String, Integer> counts = finding.isError() && policy.modeOf(finding.rule()) != RuleMode.WARN
                    ? errors : warnings;
            counts.merge(finding.rule(), 1, Integer::sum);
        }
        return new CustomRuleCounts(judged, errors, warnings);
    }

    /** Whether a promotion would pass every enforced custom rule. */
    public boolean satisfied() {
        return errors.isEmpty();
    }

    /** How many rules report: failing, then only warning. */
    public int failing() {
        return errors.size();
    }
}
