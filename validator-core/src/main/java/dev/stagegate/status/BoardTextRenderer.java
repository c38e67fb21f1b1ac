package dev.stagegate.status;

import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.rules.EvidenceJudgement;
import java.util.ArrayList;
import java.util.List;

/**
 * The board for a terminal: a table with one row per environment, then one block of
 * details per environment. Plain ASCII (anything else in a commit subject or a path is
 * escaped), so it reads the same in a CI log.
 */
public final class BoardTextRenderer {

    private static final String[] HEADINGS = {"ENVIRONMENT", "BRANCH", "TIP", "STATE", "WAITING", "NEXT EVIDENCE"};
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
            details(environment, out);
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
                nextEvidence(environment)
            });
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String nextEvidence(EnvironmentStatus environment) {
        if (environment.nextInLine().isEmpty() || environment.nextInLine().get().evidence().isEmpty()) {
            return "-";
        }
        return String.join(", ", environment.nextInLine().get().evidence().stream()
                .map(BoardWording::evidenceShort).toList());
    }

    private static void details(EnvironmentStatus environment, StringBuilder out) {
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
                        .append(BoardWording.evidence(judgement)).append('\n');
            }
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
