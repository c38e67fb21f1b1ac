package dev.stagegate.status;

import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.policy.MaxAge;
import dev.stagegate.rules.EvidenceJudgement;
import java.util.ArrayList;
import java.util.List;

/** The phrases the text board and the HTML page share, so that both say the same thing. */
final class BoardWording {

    private BoardWording() {
    }

    /** The state column: {@code entry}, {@code in sync with testing}, {@code DRIFTED from staging}, ... */
    static String state(EnvironmentStatus environment) {
        if (environment.branchMissing()) {
            return "branch missing";
        }
        if (environment.isEntry()) {
            return "entry";
        }
        List<String> parts = new ArrayList<>();
        for (UpstreamStatus upstream : environment.upstreams()) {
            parts.add(switch (upstream.state()) {
                case IN_SYNC -> "in sync with " + upstream.environment();
                case BEHIND -> "behind " + upstream.environment();
                case DRIFTED -> "DRIFTED from " + upstream.environment();
                case UPSTREAM_MISSING -> upstream.environment() + " missing";
            });
        }
        return String.join(", ", parts);
    }

    /** {@code 3 commits from staging}; empty when nothing waits. */
    static List<String> waiting(EnvironmentStatus environment) {
        List<String> parts = new ArrayList<>();
        for (UpstreamStatus upstream : environment.upstreams()) {
            if (!upstream.waiting().isEmpty()) {
                parts.add(commits(upstream.waiting()) + " from " + upstream.environment());
            }
        }
        return parts;
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
            case DRIFTED -> "drifted: no commit in " + upstream.environment() + " carries this content";
            case UPSTREAM_MISSING -> "branch '" + upstream.branch() + "' of " + upstream.environment()
                    + " does not exist";
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

    /** The decisive record or what is missing, in a sentence. */
    static String evidence(EvidenceJudgement judgement) {
        String where = judgement.requirement().environment();
        String branch = judgement.source().map(environment -> environment.branch()).orElse("");
        return switch (judgement.finding()) {
            case PASSED -> "passed, " + recorded(judgement.decisive().orElseThrow());
            case FAILED -> "FAILED, " + recorded(judgement.decisive().orElseThrow());
            case TOO_OLD -> "too old: passed, " + recorded(judgement.decisive().orElseThrow())
                    + ", older than maxAge";
            case SOAKING -> "soaking: passing since " + judgement.passingSince().orElseThrow() + ", minAge "
                    + MaxAge.format(judgement.requirement().minAge()) + "; ready at "
                    + judgement.readyAt().orElseThrow();
            case NO_RECORD -> "none: no record for this content on " + where + "'s commit "
                    + judgement.tested().orElseThrow().abbreviate(12).name();
            case CONTENT_NOT_IN_ENVIRONMENT -> "none: this content is not in " + where
                    + ", so it cannot have been tested there";
            case BRANCH_MISSING -> "none: branch '" + branch + "' of " + where + " does not exist";
            case UNKNOWN_ENVIRONMENT -> "none: the policy defines no environment " + where;
        };
    }

    private static String recorded(EvidenceRecord record) {
        return "recorded " + record.recordedAt() + " by " + record.producer() + " on " + record.commit().substring(0, 12);
    }
}
