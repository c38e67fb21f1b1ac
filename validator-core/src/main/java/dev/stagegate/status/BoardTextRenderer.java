package dev.stagegate.status;

import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.rules.EvidenceJudgement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The board for a terminal: a table with one row per environment, then one block of
 * details per environment. Plain ASCII (anything else in a commit subject or a path is
 * escaped), so it reads the same in a CI log. The table fits {@value #TABLE_WIDTH} columns:
 * its widest cells are cut, and the details below say everything in full.
 */
public final class BoardTextRenderer {

    static final int TABLE_WIDTH = 120;
    private static final int COLUMN_GAP = 2;
    /** What the evidence column keeps before any other column is narrowed. */
    private static final int EVIDENCE_KEPT = 24;
    private static final String[] HEADINGS = {
        "ENVIRONMENT", "BRANCH", "TIP", "STATE", "WAITING", "APPROVALS", "NEXT EVIDENCE"};
    private static final String LABEL = "  %-18s ";
    private static final String CONTINUED = " ".repeat(21);

    public String render(EnvironmentBoard board) {
        StringBuilder out = new StringBuilder();
        out.append("stagegate status: ").append(board.environments().size()).append(" environments under ")
                .append(board.policySource()).append('\n');
        out.append("branches read from ")
                .append(board.branchSource() == BranchSource.REMOTE_FIRST ? "refs/remotes/origin/*" : "refs/heads/*")
                .append("; each search covers a branch's tip and ").append(board.searchDepth())
                .append(" first-parent ancestors\n");
        for (String note : board.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        out.append('\n');
        table(board, out);
        for (EnvironmentStatus environment : board.environments()) {
            out.append('\n');
            details(environment, board.generatedAt(), out);
        }
        return clean(out.toString());
    }

    private static void table(EnvironmentBoard board, StringBuilder out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (EnvironmentStatus environment : board.environments()) {
            List<String> waiting = BoardWording.waiting(environment);
            rows.add(new String[] {
                environment.name(),
                environment.branch(),
                environment.tip().map(CommitSummary::abbreviated).orElse("-"),
                BoardWording.state(environment),
                waiting.isEmpty() ? "-" : String.join("; ", waiting),
                BoardWording.approvalsShort(environment.nextInLine().flatMap(NextInLine::approvals)),
                nextEvidence(environment)
            });
        }
        int[] widths = columnWidths(rows);
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = cut(row[i], widths[i]);
                line.append(i == row.length - 1 ? cell : String.format("%-" + (widths[i] + COLUMN_GAP) + "s", cell));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    /**
     * Each column as wide as its widest cell, then narrowed until the table fits
     * {@link #TABLE_WIDTH}: first the evidence list, the one cell that grows with the policy,
     * down to {@link #EVIDENCE_KEPT} characters, then the widest column, one character at a
     * time; no column narrower than its heading.
     */
    private static int[] columnWidths(List<String[]> rows) {
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        int last = widths.length - 1;
        int excess = IntStream.of(widths).sum() + COLUMN_GAP * last - TABLE_WIDTH;
        if (excess > 0) {
            widths[last] = Math.max(Math.min(widths[last], EVIDENCE_KEPT), widths[last] - excess);
        }
        while (IntStream.of(widths).sum() + COLUMN_GAP * last > TABLE_WIDTH) {
            int widest = 0;
            for (int i = 1; i < widths.length; i++) {
                if (widths[i] - HEADINGS[i].length() > widths[widest] - HEADINGS[widest].length()) {
                    widest = i;
                }
            }
            if (widths[widest] <= HEADINGS[widest].length()) {
                break;
            }
            widths[widest]--;
        }
        return widths;
    }

    private static String cut(String cell, int width) {
        return cell.length() <= width ? cell : cell.substring(0, width - 3) + "...";
    }

    private static String nextEvidence(EnvironmentStatus environment) {
        if (environment.nextInLine().isEmpty() || environment.nextInLine().get().evidence().isEmpty()) {
            return "-";
        }
        // what blocks the promotion first, so that it survives when the cell is cut
        return String.join(", ", environment.nextInLine().get().evidence().stream()
                .sorted(Comparator.comparing((EvidenceJudgement judgement) -> judgement.finding().satisfied()))
                .map(BoardWording::evidenceShort).toList());
    }

    private static void details(EnvironmentStatus environment, Instant now, StringBuilder out) {
        out.append(environment.name()).append(" (branch ").append(environment.branch());
        if (!environment.isEntry()) {
            out.append(", promotes from ").append(String.join(", ", environment.promotesFrom()));
        }
        out.append(")").append(environment.drifted() ? "  DRIFTED" : "").append('\n');
        if (environment.tip().isEmpty()) {
            label(out, "tip").append("branch '").append(environment.branch()).append("' does not exist\n");
        } else {
            CommitSummary tip = environment.tip().get();
            label(out, "tip").append(tip.abbreviated()).append("  ").append(tip.date()).append("  ")
                    .append(tip.subject()).append('\n');
        }
        if (environment.isEntry()) {
            label(out, "upstream").append("none: content enters the chain here\n");
        }
        for (UpstreamStatus upstream : environment.upstreams()) {
            label(out, "from " + upstream.environment()).append(BoardWording.upstream(upstream)).append('\n');
            if (upstream.state() == UpstreamState.DRIFTED) {
                paths(out, "differs from " + upstream.environment() + "'s tip in", upstream.differingPaths());
            }
            if (!upstream.waiting().isEmpty()) {
                label(out, "waiting").append(BoardWording.commits(upstream.waiting())).append(" in ")
                        .append(upstream.environment()).append(" not promoted here yet\n");
                paths(out, "changing", upstream.waiting().paths());
            }
            if (!upstream.notBroughtBack().isEmpty()) {
                label(out, "not upstream").append("changed here and never brought back to ")
                        .append(upstream.environment()).append('\n');
                paths(out, "in", upstream.notBroughtBack());
            }
        }
        if (environment.nextInLine().isPresent()) {
            NextInLine next = environment.nextInLine().get();
            label(out, "next in line").append(next.fromEnvironment()).append("'s tip ")
                    .append(BoardWording.commit(next.commit()))
                    .append(next.alreadyHere() ? " (already here)" : "").append('\n');
            for (EvidenceJudgement judgement : next.evidence()) {
                label(out, "evidence").append(judgement.requirement().describe()).append(": ")
                        .append(BoardWording.evidence(judgement, now)).append('\n');
            }
            if (next.approvals().isPresent()) {
                approvals(next.approvals().get(), out);
            }
            if (!next.evidence().isEmpty() || next.approvals().isPresent()) {
                label(out, "ready").append(BoardWording.readiness(next)).append('\n');
            }
        }
    }

    private static void approvals(ApprovalStatus approvals, StringBuilder out) {
        label(out, "approvals").append(BoardWording.approvalsCounted(approvals)).append('\n');
        Optional<String> waiting = BoardWording.waitingFor(approvals);
        if (waiting.isPresent()) {
            label(out, "waiting for").append(waiting.get()).append('\n');
        }
        for (ApprovalJudgement.NotCounted notCounted : approvals.judgement().notCounted()) {
            label(out, "not counted").append(BoardWording.notCounted(notCounted)).append('\n');
        }
        for (ApprovalRecord rejection : approvals.judgement().rejections()) {
            label(out, "REJECTED").append(BoardWording.rejection(rejection))
                    .append("; blocks the promotion until ").append(rejection.approver())
                    .append(" records a newer approval\n");
        }
    }

    private static StringBuilder label(StringBuilder out, String label) {
        return out.append(String.format(LABEL, label));
    }

    private static void paths(StringBuilder out, String lead, PathList paths) {
        if (paths.isEmpty()) {
            return;
        }
        out.append(CONTINUED).append(lead).append(' ').append(BoardWording.paths(paths.total())).append(":\n");
        for (String path : paths.paths()) {
            out.append(CONTINUED).append("  ").append(path).append('\n');
        }
        if (paths.truncated()) {
            out.append(CONTINUED).append("  ... and ").append(paths.total() - paths.paths().size())
                    .append(" more\n");
        }
    }

    /** Escapes everything but printable ASCII and line breaks, as the verdict's text output does. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
