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
 * columns that would say nothing are left out (BRANCH when every branch is named as its
 * environment, APPROVALS when no environment requires any), its widest cells are cut, and
 * the details below say everything in full. Lines of the details are wrapped at spaces to
 * the same width; only a single word longer than that (a path, say) overflows.
 */
public final class BoardTextRenderer {

    static final int TABLE_WIDTH = 120;
    private static final int COLUMN_GAP = 2;
    /** What the evidence column keeps before any other column is narrowed. */
    private static final int EVIDENCE_KEPT = 24;
    private static final String[] HEADINGS = {
        "ENVIRONMENT", "BRANCH", "TIP", "STATE", "WAITING", "APPROVALS", "NEXT EVIDENCE"};
    private static final int BRANCH = 1;
    private static final int APPROVALS = 5;
    private static final int LABEL_WIDTH = 18;
    private static final String LABEL = "  %-" + LABEL_WIDTH + "s ";
    private static final String CONTINUED = " ".repeat(21);

    public String render(EnvironmentBoard board) {
        StringBuilder head = new StringBuilder();
        head.append("stagegate status: ").append(board.environments().size()).append(" environments under ")
                .append(board.policySource()).append('\n');
        head.append("branches read from ")
                .append(board.branchSource() == BranchSource.REMOTE_FIRST ? "refs/remotes/origin/*" : "refs/heads/*")
                .append("; each search covers a branch's tip and ").append(board.searchDepth())
                .append(" first-parent ancestors\n");
        for (String note : board.notes()) {
            head.append("note: ").append(note).append('\n');
        }
        StringBuilder table = new StringBuilder();
        table(board, table);
        StringBuilder details = new StringBuilder();
        for (EnvironmentStatus environment : board.environments()) {
            details.append('\n');
            details(environment, board.generatedAt(), details);
        }
        return wrap(clean(head.toString())) + "\n" + clean(table.toString()) + wrap(clean(details.toString()));
    }

    private static void table(EnvironmentBoard board, StringBuilder out) {
        boolean branches = board.environments().stream().anyMatch(e -> !e.branch().equals(e.name()));
        boolean approvals = board.environments().stream()
                .anyMatch(e -> e.nextInLine().flatMap(NextInLine::approvals).isPresent());
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (EnvironmentStatus environment : board.environments()) {
            rows.add(new String[] {
                environment.name(),
                environment.branch(),
                environment.tip().map(CommitSummary::abbreviated).orElse("-"),
                BoardWording.state(environment),
                BoardWording.waitingShort(environment),
                BoardWording.approvalsShort(environment.nextInLine().flatMap(NextInLine::approvals)),
                nextEvidence(environment)
            });
        }
        List<Integer> shown = IntStream.range(0, HEADINGS.length)
                .filter(column -> (column != BRANCH || branches) && (column != APPROVALS || approvals)).boxed().toList();
        rows = rows.stream().map(row -> shown.stream().map(column -> row[column]).toArray(String[]::new)).toList();
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
        String[] headings = rows.get(0);
        int[] widths = new int[headings.length];
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
                if (widths[i] - headings[i].length() > widths[widest] - headings[widest].length()) {
                    widest = i;
                }
            }
            if (widths[widest] <= headings[widest].length()) {
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
        if (environment.nextInLine().isEmpty()) {
            return "-";
        }
        NextInLine next = environment.nextInLine().get();
        // what blocks the promotion first, so that it survives when the cell is cut
        List<String> parts = new ArrayList<>();
        next.blocked().ifPresent(blocked -> parts.add(BoardWording.blockedShort(blocked)));
        next.customRules().filter(counts -> !counts.satisfied())
                .ifPresent(counts -> parts.add(BoardWording.customRulesShort(counts)));
        next.evidence().stream()
                .sorted(Comparator.comparing((EvidenceJudgement judgement) -> judgement.finding().satisfied()))
                .map(BoardWording::evidenceShort).forEach(parts::add);
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static void details(EnvironmentStatus environment, Instant now, StringBuilder out) {
        out.append(environment.name()).append(" (branch ").append(environment.branch());
        if (!environment.isEntry()) {
            out.append(", promotes from ").append(String.join(", ", environment.promotesFrom()));
        }
        out.append(")").append(flag(environment)).append('\n');
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
            if (upstream.state() == UpstreamState.SKIPPED_STAGE || upstream.state() == UpstreamState.NOT_BACK_PORTED) {
                paths(out, "differs from " + upstream.environment() + "'s tip in", upstream.differingPaths());
            }
            if (upstream.tipAlreadyPassed()) {
                label(out, "older tip").append(BoardWording.tipAlreadyPassed(upstream)).append('\n');
            }
            if (!upstream.waiting().isEmpty()) {
                label(out, "waiting").append(BoardWording.commits(upstream.waiting())).append(" in ")
                        .append(upstream.environment()).append(" not promoted here yet\n");
                paths(out, "changing", upstream.waiting().paths());
            }
            if (!upstream.notBroughtBack().isEmpty()) {
                label(out, "not back-ported").append(BoardWording.notBackPorted(upstream)).append('\n');
                paths(out, "in", upstream.notBroughtBack());
            }
        }
        if (environment.nextInLine().isPresent()) {
            NextInLine next = environment.nextInLine().get();
            label(out, "next in line").append(next.fromEnvironment()).append("'s tip ")
                    .append(BoardWording.commit(next.commit()))
                    .append(next.alreadyHere() ? " (already here)" : "").append('\n');
            if (next.blocked().isPresent()) {
                label(out, "BLOCKED").append(BoardWording.blocked(next)).append('\n');
            }
            for (EvidenceJudgement judgement : next.evidence()) {
                label(out, "evidence").append(judgement.requirement().describe()).append(": ")
                        .append(BoardWording.evidence(judgement, now)).append('\n');
            }
            if (next.approvals().isPresent()) {
                approvals(next.approvals().get(), out);
            }
            if (next.customRules().isPresent()) {
                label(out, "custom rules").append(BoardWording.customRules(next.customRules().get())).append('\n');
            }
            if (!next.evidence().isEmpty() || next.approvals().isPresent() || next.blocked().isPresent()
                    || next.customRules().isPresent()) {
                label(out, "ready").append(BoardWording.readiness(next)).append('\n');
            }
        } else if (!environment.isEntry() && !environment.upstreams().isEmpty()) {
            label(out, "next in line").append("none: no upstream has content newer than this\n");
        }
    }

    /** After an environment's name: what needs acting on, in capitals so it stands out in a log. */
    private static String flag(EnvironmentStatus environment) {
        if (environment.notBackPorted()) {
            return "  HOTFIX NOT BACK-PORTED";
        }
        if (environment.skippedStage()) {
            return "  SKIPPED " + String.join(", ", environment.skippedStages());
        }
        return "";
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

    /** A label longer than the label column gets a line of its own, so that the text stays aligned. */
    private static StringBuilder label(StringBuilder out, String label) {
        if (label.length() > LABEL_WIDTH) {
            return out.append("  ").append(label).append('\n').append(CONTINUED);
        }
        return out.append(String.format(LABEL, label));
    }

    /**
     * Wraps every line longer than {@link #TABLE_WIDTH} at spaces: a detail line's
     * continuation is aligned with its text, a heading's and a note's indented.
     */
    private static String wrap(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean first = true;
        for (String line : text.split("\n", -1)) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            String indent = line.startsWith("  ") ? CONTINUED : "    ";
            String rest = line;
            while (rest.length() > TABLE_WIDTH) {
                int cut = rest.lastIndexOf(' ', TABLE_WIDTH);
                if (cut <= indent.length()) {
                    cut = rest.indexOf(' ', TABLE_WIDTH);
                    if (cut < 0) {
                        break;
                    }
                }
                out.append(rest.substring(0, cut).stripTrailing()).append('\n');
                rest = indent + rest.substring(cut + 1).stripLeading();
            }
            out.append(rest);
        }
        return out.toString();
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
