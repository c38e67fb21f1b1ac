package dev.stagegate.status;

import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.policy.People;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the approvals of a next-in-line promotion stand, judged as {@code missing-approval}
 * judges the promotion (one {@link ApprovalJudgement} serves both), with who is still awaited.
 *
 * @param judgement what the judgement found: who counts, who does not and why, rejections
 * @param awaited   the {@code from} entries that name someone who has not approved yet and
 *                  could (not an author of a promoted change), in policy order, each with those people
 */
public record ApprovalStatus(ApprovalJudgement judgement, List<Awaited> awaited) {

    /**
     * One {@code from} entry still awaited.
     *
     * @param name   a group or an identity, as {@code from} names it
     * @param group  whether {@code name} is a group of the policy
     * @param people the identities it stands for that have not approved yet
     */
    public record Awaited(String name, boolean group, List<String> people) {

        public Awaited {
            Objects.requireNonNull(name, "name");
            people = List.copyOf(people);
        }
    }

    public ApprovalStatus {
        Objects.requireNonNull(judgement, "judgement");
        awaited = List.copyOf(awaited);
    }

    /** The status of {@code judgement}, {@code from} resolved with {@code people}. */
    static ApprovalStatus of(ApprovalJudgement judgement, People people) {
        Set<String> notYet = new LinkedHashSet<>(judgement.waitingFor(people));
        List<Awaited> awaited = new ArrayList<>();
        for (String name : judgement.requirement().from()) {
            List<String> members = people.groups().get(name);
            List<String> waiting = (members == null ? List.of(name) : members).stream()
                    .filter(notYet::contains).toList();
            if (!waiting.isEmpty()) {
                awaited.add(new Awaited(name, members != null, waiting));
            }
        }
        return new ApprovalStatus(judgement, awaited);
    }

    /** The approvals still needed for {@code count}; 0 when enough count (a rejection may still block). */
    public int missing() {
        return Math.max(0, judgement.requirement().count() - judgement.counted().size());
    }

    /** Whether the promotion has its approvals: enough count, and none rejects. */
    public boolean satisfied() {
        return judgement.satisfied();
    }

    /** Every identity not yet approved, once each, in policy order. */
    public List<String> waitingFor() {
        Set<String> people = new LinkedHashSet<>();
        awaited.forEach(entry -> people.addAll(entry.people()));
        return List.copyOf(people);
    }
}
