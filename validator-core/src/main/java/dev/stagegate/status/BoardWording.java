package dev.stagegate.status;

import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.report.Timestamp;
import dev.stagegate.rules.EvidenceJudgement.Finding;
import dev.stagegate.rules.EvidenceJudgement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The phrases the text board and the HTML page share, so that both say the same thing. */
final class BoardWording {

    private BoardWording() {
    }

    /** The order states are named in: what needs acting on first, so it survives when a cell is cut. */
    private static final List<UpstreamState> BY_URGENCY = List.of(UpstreamState.NOT_BACK_PORTED,
            UpstreamState.SKIPPED_STAGE, UpstreamState.BEHIND, UpstreamState.UPSTREAM_MISSING, UpstreamState.IN_SYNC);

    /**
     * The state column: {@code entry}, {@code in sync with testing}, {@code HOTFIX not in staging},
     * {@code skipped test-us-west; in sync with 3 of 4}: the upstreams grouped by state, most
     * urgent first; a group of one or two upstreams is named, a larger one counted (the
     * details below name every upstream).
     */
    static String state(EnvironmentStatus environment) {
        if (environment.branchMissing()) {
            return "branch missing";
        }
        if (environment.isEntry()) {
            return "entry";
        }
        int all = environment.upstreams().size();
        List<String> parts = new ArrayList<>();
        for (UpstreamState state : BY_URGENCY) {
            List<String> names = environment.upstreams().stream().filter(u -> u.state() == state)
                    .map(UpstreamStatus::environment).toList();
            if (!names.isEmpty()) {
                String which = names.size() <= 2 ? String.join(", ", names)
                        : names.size() == all ? "all " + all : names.size() + " of " + all;
                parts.add(switch (state) {
                    case IN_SYNC -> "in sync with " + which;
                    case BEHIND -> "behind " + which;
                    case SKIPPED_STAGE -> "skipped " + which;
                    case NOT_BACK_PORTED -> "HOTFIX not in " + which;
                    case UPSTREAM_MISSING -> (names.size() <= 2 ? which : "upstreams " + which) + " missing";
                });
            }
        }
        return String.join("; ", parts);
    }

    /**
     * The waiting column: {@code 3 commits} from an environment's only upstream,
     * {@code 3 commits from test-eu} from one of several, {@code 1-3 commits from 3 upstreams};
     * {@code -} when nothing waits.
     */
    static String waitingShort(EnvironmentStatus environment) {
        List<UpstreamStatus> waiting = environment.upstreams().stream().filter(u -> !u.waiting().isEmpty()).toList();
        if (waiting.isEmpty()) {
            return "-";
        }
        if (waiting.size() == 1) {
            return commits(waiting.get(0).waiting())
                    + (environment.upstreams().size() == 1 ? "" : " from " + waiting.get(0).environment());
        }
        int fewest = waiting.stream().mapToInt(u -> u.waiting().commits()).min().orElseThrow();
        int most = waiting.stream().mapToInt(u -> u.waiting().commits()).max().orElseThrow();
        boolean atLeast = waiting.stream().anyMatch(u -> u.waiting().atLeast());
        return (fewest == most ? String.valueOf(most) : fewest + "-" + most) + (atLeast ? "+" : "")
                + (most == 1 && !atLeast ? " commit" : " commits") + " from " + waiting.size() + " upstreams";
    }

    static String commits(Waiting waiting) {
        int count = waiting.commits();
        return count + (waiting.atLeast() ? "+" : "") + (count == 1 && !waiting.atLeast() ? " commit" : " commits");
    }

    /** What one upstream comparison found, in a sentence. */
    static String upstream(UpstreamStatus upstream) {
        return switch (upstream.state()) {
            case IN_SYNC -> "in sync: carries the content of " + upstream.environment() + "'s tip";
            case BEHIND -> "behind: carries the content of " + upstream.environment() + "'s "
                    + commit(upstream.carries().orElseThrow());
            case SKIPPED_STAGE -> "skipped " + String.join(", ", upstream.skipped()) + ": carries the content of "
                    + upstream.foundIn().orElseThrow().environment() + "'s "
                    + commit(upstream.foundIn().orElseThrow().commit()) + ", which " + upstream.environment()
                    + " does not have";
            case NOT_BACK_PORTED -> "hotfix not back-ported: no commit in " + upstream.environment()
                    + " or further up the chain carries this content";
            case UPSTREAM_MISSING -> "branch '" + upstream.branch() + "' of " + upstream.environment()
                    + " does not exist";
        };
    }

    /** Said of an upstream whose tip this environment is already past. */
    static String tipAlreadyPassed(UpstreamStatus upstream) {
        return upstream.environment() + "'s tip " + commit(upstream.tip().orElseThrow())
                + " is older content than this: promoting it here would be a step backwards";
    }

    /** Said of a hotfix's paths, before they are listed. */
    static String notBackPorted(UpstreamStatus upstream) {
        return "changed here and never back-ported to " + upstream.environment()
                + "; make the same change on the entry branch and promote it up (docs/recipes.md, \"Hotfix\")";
    }

    /** Why the content next in line must wait, and what to do: one sentence. */
    static String blocked(NextInLine next) {
        Blocked blocked = next.blocked().orElseThrow();
        return switch (blocked.reason()) {
            case UNDOES_HOTFIX -> "it would undo the hotfix made here in " + paths(blocked.paths().total()) + " ("
                    + String.join(", ", blocked.paths().paths().subList(0, Math.min(3, blocked.paths().paths().size())))
                    + (blocked.paths().total() > 3 ? ", ..." : "") + "), which " + next.fromEnvironment()
                    + " lacks; back-port the hotfix first: make the same change on "
                    + (blocked.environments().isEmpty() ? "the entry branch" : String.join(", ", blocked.environments()))
                    + " and promote it up through " + next.fromEnvironment() + " (docs/recipes.md, \"Hotfix\")";
            case NOT_IN_EVERY_UPSTREAM -> "not yet in " + String.join(", ", blocked.environments())
                    + ", and with upstreams: all the content must be in every upstream; promote it there first";
        };
    }

    /** The short form for the table: {@code BLOCKED: undoes a hotfix}. */
    static String blockedShort(Blocked blocked) {
        return switch (blocked.reason()) {
            case UNDOES_HOTFIX -> "BLOCKED: undoes a hotfix";
            case NOT_IN_EVERY_UPSTREAM -> "BLOCKED: not in " + String.join(", ", blocked.environments());
        };
    }

    /** {@code 1a2b3c4d5e6f "subject"}. */
    static String commit(CommitSummary commit) {
        return commit.abbreviated() + " \"" + commit.subject() + "\"";
    }

    static String paths(int total) {
        return total + (total == 1 ? " path" : " paths");
    }

    /** The short form for the table: {@code integration: passed}. */
    static String evidenceShort(EvidenceJudgement judgement) {
        return judgement.requirement().suite() + ": " + judgement.finding().label();
    }

    /**
     * The decisive record or what is missing, in a sentence; for a requirement with
     * {@code minAge}, how long the content has soaked by {@code now} and when it is ready.
     */
    static String evidence(EvidenceJudgement judgement, Instant now) {
        String where = judgement.requirement().environment();
        String branch = judgement.source().map(environment -> environment.branch()).orElse("");
        return switch (judgement.finding()) {
            case PASSED -> "passed, " + recorded(judgement.decisive().orElseThrow())
                    + (judgement.requirement().minAge() == null ? "" : "; " + soaked(judgement, now));
            case FAILED -> "FAILED, " + recorded(judgement.decisive().orElseThrow());
            case TOO_OLD -> "too old: passed, " + recorded(judgement.decisive().orElseThrow())
                    + ", older than maxAge";
            case SOAKING -> "soaking: " + soaked(judgement, now) + "; ready at " + judgement.readyAt().orElseThrow()
                    + " if no failure is recorded before then";
            case NO_RECORD -> "none: no record for this content on " + where + "'s commit "
                    + judgement.tested().orElseThrow().abbreviate(12).name();
            case CONTENT_NOT_IN_ENVIRONMENT -> "none: this content is not in " + where
                    + ", so it cannot have been tested there";
            case BRANCH_MISSING -> "none: branch '" + branch + "' of " + where + " does not exist";
            case UNKNOWN_ENVIRONMENT -> "none: the policy defines no environment " + where;
        };
    }

    /** {@code soaked 3h10m of 1d in staging}: the current run of passes, as missing-evidence words it. */
    private static String soaked(EvidenceJudgement judgement, Instant now) {
        return "soaked " + judgement.soakProgress(now);
    }

    /** The short form for the table: {@code 1 of 2}, {@code REJECTED}, or {@code -} when none is required. */
    static String approvalsShort(Optional<ApprovalStatus> approvals) {
        if (approvals.isEmpty()) {
            return "-";
        }
        if (!approvals.get().judgement().rejections().isEmpty()) {
            return "REJECTED";
        }
        return approvals.get().judgement().counted().size() + " of " + approvals.get().judgement().requirement().count();
    }

    /** {@code 1 of 2 from release-managers, dana: alice at 2026-11-27T10:00:00Z}: the approvals that count. */
    static String approvalsCounted(ApprovalStatus approvals) {
        List<ApprovalRecord> counted = approvals.judgement().counted();
        String given = counted.size() + " of " + approvals.judgement().requirement().count() + " from "
                + String.join(", ", approvals.judgement().requirement().from());
        return counted.isEmpty() ? given : given + ": " + counted.stream()
                .map(record -> record.approver() + " at " + Timestamp.text(record.recordedAt()))
                .collect(Collectors.joining(", "));
    }

    /** {@code 1 more from release-managers (bob, carol), dana}; empty when enough count. */
    static Optional<String> waitingFor(ApprovalStatus approvals) {
        if (approvals.missing() == 0) {
            return Optional.empty();
        }
        return Optional.of(approvals.missing() + " more from " + approvals.awaited().stream()
                .map(BoardWording::awaited).collect(Collectors.joining(", ")));
    }

    /** A group with the members who have not approved, or an identity. */
    static String awaited(ApprovalStatus.Awaited awaited) {
        return awaited.group() ? awaited.name() + " (" + String.join(", ", awaited.people()) + ")" : awaited.name();
    }

    /** {@code eve: not named by from (release-managers, dana)}: anyone may write a record, so on one line. */
    static String notCounted(ApprovalJudgement.NotCounted notCounted) {
        return oneLine(notCounted.approver() + ": " + notCounted.reason());
    }

    /** {@code bob at 2026-11-27T10:00:00Z: not yet}. */
    static String rejection(ApprovalRecord record) {
        return record.approver() + " at " + Timestamp.text(record.recordedAt())
                + record.comment().map(c -> ": " + oneLine(c)).orElse("");
    }

    /**
     * {@code yes}, or {@code no: it would undo a hotfix; deployed soaking; 1 more approval}: why
     * the promotion would be refused.
     */
    static String readiness(NextInLine next) {
        if (next.ready()) {
            return next.customRules().isPresent() ? "yes: its evidence, approvals and custom rules would pass"
                    : "yes: its evidence and approvals would pass";
        }
        List<String> reasons = new ArrayList<>();
        next.blocked().ifPresent(blocked -> reasons.add(switch (blocked.reason()) {
            case UNDOES_HOTFIX -> "it would undo a hotfix";
            case NOT_IN_EVERY_UPSTREAM -> "not yet in " + String.join(", ", blocked.environments());
        }));
        for (EvidenceJudgement judgement : next.evidence()) {
            if (!judgement.finding().satisfied()) {
                reasons.add(judgement.requirement().suite() + " " + judgement.finding().label()
                        + (judgement.finding() == Finding.SOAKING ? " until " + judgement.readyAt().orElseThrow() : ""));
            }
        }
        if (next.approvals().isPresent() && !next.approvals().get().satisfied()) {
            ApprovalStatus approvals = next.approvals().get();
            if (!approvals.judgement().rejections().isEmpty()) {
                reasons.add("rejected by " + approvals.judgement().rejections().stream().map(ApprovalRecord::approver)
                        .collect(Collectors.joining(", ")));
            }
            if (approvals.missing() > 0) {
                reasons.add(approvals.missing() + " more " + (approvals.missing() == 1 ? "approval" : "approvals"));
            }
        }
        next.customRules().filter(counts -> !counts.satisfied()).ifPresent(counts -> reasons.add(
                counts.failing() + " custom " + (counts.failing() == 1 ? "rule fails" : "rules fail")));
        return "no: " + String.join("; ", reasons);
    }

    /**
     * How the content stands against the custom rules: "all 5 hold", or the rules that fail and
     * warn with how many findings each ("fail: prod-replicas (2); warn: release-tags (1); of 5").
     */
    static String customRules(CustomRuleCounts counts) {
        if (counts.errors().isEmpty() && counts.warnings().isEmpty()) {
            return counts.judged() == 1 ? "the one rule holds" : "all " + counts.judged() + " hold";
        }
        List<String> parts = new ArrayList<>();
        if (!counts.errors().isEmpty()) {
            parts.add("fail: " + findings(counts.errors()));
        }
        if (!counts.warnings().isEmpty()) {
            parts.add("warn: " + findings(counts.warnings()));
        }
        return String.join("; ", parts) + "; of " + counts.judged();
    }

    /** The table's cell: only what fails, as the evidence cell names only what is missing. */
    static String customRulesShort(CustomRuleCounts counts) {
        return counts.failing() + " custom " + (counts.failing() == 1 ? "rule fails" : "rules fail");
    }

    private static String findings(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    /** A comment is anyone's free text: on one line, so it cannot pass for more of the board. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    private static String recorded(EvidenceRecord record) {
        return "recorded " + Timestamp.text(record.recordedAt()) + " by " + record.producer() + " on "
                + record.commit().substring(0, 12);
    }
}
