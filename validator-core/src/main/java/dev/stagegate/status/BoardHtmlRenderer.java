package dev.stagegate.status;

import dev.stagegate.approval.ApprovalJudgement;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.report.Timestamp;
import dev.stagegate.rules.EvidenceJudgement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The board as one self-contained HTML page: the promotion graph drawn as inline SVG, one
 * node per environment and one edge per {@code promotesFrom}, then the details of every
 * environment. Inline CSS, no script, no font or image from anywhere, and a
 * Content-Security-Policy that forbids every fetch, so the page works offline, as a CI
 * artifact or an e-mail attachment.
 *
 * <p>Nodes and sections carry {@code data-environment}, {@code data-not-back-ported},
 * {@code data-skipped-stage}, {@code data-waiting} and {@code data-branch-missing}, edges
 * {@code data-from}, {@code data-to} and {@code data-state}, evidence rows {@code data-suite}
 * and {@code data-finding}, the next-in-line line {@code data-blocked}, approval tables
 * {@code data-required}, {@code data-counted} and {@code data-satisfied} and their rows
 * {@code data-status} with {@code data-approver} or {@code data-awaited}, for tests and for
 * anyone who styles or scrapes the page.
 *
 * <p>The graph is laid out in columns: an environment's column is one more than that of its
 * furthest upstream, so promotion reads left to right, and each column is centred on the
 * tallest, so fan-out and fan-in read as such. Five columns of nodes fit a 1400-pixel window
 * at full size; a wider graph is scaled down to the page's width rather than scrolled.
 */
public final class BoardHtmlRenderer {

    private static final int NODE_WIDTH = 200;
    private static final int NODE_HEIGHT = 112;
    private static final int COLUMN_GAP = 72;
    private static final int ROW_GAP = 24;
    private static final int MARGIN = 20;
    /** What fits on a line of a node at its font size; longer text is cut, the details below have it all. */
    private static final int NODE_TEXT_LIMIT = 26;
    /** What fits of the name, in its larger font. */
    private static final int NODE_NAME_LIMIT = 19;

    private static final String STYLE = """
            :root { color-scheme: light; --ok: #2e7d32; --behind: #b26a00; --skipped: #6a3fb5; --drift: #c62828;
                    --missing: #757575; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px;
                   color: #1f2328; background: #fff; }
            h1 { font-size: 1.5rem; margin: 0 0 4px; }
            .meta-line { color: #57606a; margin: 0 0 4px; }
            .notes { background: #fff8c5; border: 1px solid #d4a72c; padding: 8px 8px 8px 28px; }
            .graph { margin: 16px 0 24px; }
            .graph svg { max-width: 100%; height: auto; }
            svg text { font-family: inherit; }
            .node .box { fill: #f6f8fa; stroke: var(--missing); stroke-width: 2; }
            .node.state-in-sync .box, .node.state-entry .box { stroke: var(--ok); }
            .node.state-behind .box { stroke: var(--behind); }
            .node.state-skipped-stage .box { stroke: var(--skipped); fill: #f7f3ff; stroke-width: 3; }
            .node.state-not-back-ported .box { stroke: var(--drift); fill: #fff5f5; stroke-width: 3; }
            .node.state-branch-missing .box { stroke-dasharray: 6 4; fill: #fafafa; }
            .node .name { font-size: 15px; font-weight: 600; fill: #1f2328; }
            .node .line { font-size: 12px; fill: #57606a; }
            .badge rect { fill: var(--drift); }
            .badge.skipped rect { fill: var(--skipped); }
            .badge text { fill: #fff; font-size: 11px; font-weight: 700; }
            .edge { fill: none; stroke-width: 2; stroke: var(--missing); }
            .edge[data-state="in-sync"] { stroke: var(--ok); }
            .edge[data-state="behind"] { stroke: var(--behind); }
            .edge[data-state="skipped-stage"] { stroke: var(--skipped); stroke-dasharray: 6 4; }
            .edge[data-state="not-back-ported"] { stroke: var(--drift); stroke-dasharray: 6 4; }
            .legend span { display: inline-block; margin-right: 16px; }
            .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px;
                        vertical-align: -1px; }
            section.environment { border: 1px solid #d0d7de; border-left: 6px solid var(--ok); border-radius: 6px;
                                  padding: 8px 16px; margin: 0 0 16px; }
            section.environment[data-waiting="true"] { border-left-color: var(--behind); }
            section.environment[data-skipped-stage="true"] { border-left-color: var(--skipped); }
            section.environment[data-not-back-ported="true"] { border-left-color: var(--drift); }
            section.environment[data-branch-missing="true"] { border-left-color: var(--missing); }
            section.environment h2 { font-size: 1.15rem; margin: 4px 0; }
            span.badge { background: var(--drift); color: #fff; border-radius: 10px; padding: 1px 8px;
                         font-size: 0.75rem; vertical-align: 2px; }
            span.badge.skipped { background: var(--skipped); }
            .blocked { color: var(--drift); font-weight: 600; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
            dt { font-weight: 600; color: #57606a; }
            dd { margin: 0; }
            ul.paths { margin: 4px 0; padding-left: 20px; }
            code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
            table.evidence, table.approvals { border-collapse: collapse; max-width: 100%; }
            table.evidence td, table.evidence th, table.approvals td, table.approvals th {
                border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; overflow-wrap: anywhere; }
            table.approvals caption { text-align: left; padding: 0 0 4px; }
            .finding-passed, .approval-counted, .ready-true { color: var(--ok); font-weight: 600; }
            .finding-failed, .finding-too-old, .approval-rejected, .ready-false { color: var(--drift); font-weight: 600; }
            .finding-soaking, .approval-awaited { color: var(--behind); font-weight: 600; }
            .approval-not-counted { color: var(--missing); font-weight: 600; }
            """;

    public String render(EnvironmentBoard board) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>stagegate status</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>Environment board</h1>\n");
        html.append("<p class=\"meta-line\">").append(board.environments().size()).append(" environments under ")
                .append(escape(board.policySource())).append("; branches read from <code>")
                .append(board.branchSource() == BranchSource.REMOTE_FIRST ? "refs/remotes/origin/*" : "refs/heads/*")
                .append("</code>; searches cover each branch's tip and ").append(board.searchDepth())
                .append(" first-parent ancestors; generated ").append(board.generatedAt()).append("</p>\n");
        if (!board.notes().isEmpty()) {
            html.append("<ul class=\"notes\">\n");
            for (String note : board.notes()) {
                html.append("<li>").append(escape(note)).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        graph(board, html);
        html.append("<p class=\"legend\"><span><i style=\"background:var(--ok)\"></i>in sync</span>")
                .append("<span><i style=\"background:var(--behind)\"></i>content waiting upstream</span>")
                .append("<span><i style=\"background:var(--skipped)\"></i>skipped a stage</span>")
                .append("<span><i style=\"background:var(--drift)\"></i>hotfix not back-ported</span>")
                .append("<span><i style=\"background:var(--missing)\"></i>branch missing</span></p>\n");
        for (EnvironmentStatus environment : board.environments()) {
            details(environment, board.generatedAt(), html);
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private record Position(int x, int y) {
    }

    private static void graph(EnvironmentBoard board, StringBuilder html) {
        Map<String, Integer> columns = new HashMap<>();
        Map<String, Integer> rows = new HashMap<>();
        Map<Integer, Integer> rowsPerColumn = new HashMap<>();
        for (EnvironmentStatus environment : board.environments()) {
            int column = environment.promotesFrom().stream().mapToInt(columns::get).max().orElse(-1) + 1;
            columns.put(environment.name(), column);
            rows.put(environment.name(), rowsPerColumn.merge(column, 1, Integer::sum) - 1);
        }
        int columnCount = rowsPerColumn.size();
        int rowCount = rowsPerColumn.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<String, Position> positions = new HashMap<>();
        for (EnvironmentStatus environment : board.environments()) {
            int column = columns.get(environment.name());
            int centring = (rowCount - rowsPerColumn.get(column)) * (NODE_HEIGHT + ROW_GAP) / 2;
            positions.put(environment.name(), new Position(MARGIN + column * (NODE_WIDTH + COLUMN_GAP),
                    MARGIN + centring + rows.get(environment.name()) * (NODE_HEIGHT + ROW_GAP)));
        }
        int width = 2 * MARGIN + columnCount * NODE_WIDTH + Math.max(0, columnCount - 1) * COLUMN_GAP;
        int height = 2 * MARGIN + rowCount * NODE_HEIGHT + Math.max(0, rowCount - 1) * ROW_GAP;
        html.append("<div class=\"graph\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" ")
                .append("aria-label=\"promotion graph\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" ")
                .append("markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" ")
                .append("fill=\"#57606a\"/></marker></defs>\n");
        // each edge leaves and enters its node at a point of its own, in the order of the other
        // ends' heights, so that the edges of a fan-out or fan-in do not pile up on one point
        Map<String, List<String>> outgoing = new HashMap<>();
        for (EnvironmentStatus environment : board.environments()) {
            for (String upstream : environment.promotesFrom()) {
                outgoing.computeIfAbsent(upstream, name -> new ArrayList<>()).add(environment.name());
            }
        }
        outgoing.values().forEach(downstreams -> downstreams.sort(
                Comparator.comparingInt(name -> positions.get(name).y())));
        for (EnvironmentStatus environment : board.environments()) {
            List<String> incoming = new ArrayList<>(environment.promotesFrom());
            incoming.sort(Comparator.comparingInt(name -> positions.get(name).y()));
            for (String upstream : environment.promotesFrom()) {
                List<String> siblings = outgoing.get(upstream);
                int y1 = positions.get(upstream).y() + anchor(siblings.indexOf(environment.name()), siblings.size());
                int y2 = positions.get(environment.name()).y() + anchor(incoming.indexOf(upstream), incoming.size());
                edge(positions.get(upstream).x() + NODE_WIDTH, y1, positions.get(environment.name()).x() - 2, y2,
                        upstream, environment, html);
            }
        }
        for (EnvironmentStatus environment : board.environments()) {
            node(environment, positions.get(environment.name()), html);
        }
        html.append("</svg>\n</div>\n");
    }

    /** The height, within a node, of the {@code index}th of {@code count} edges on one side: spread over its middle half. */
    private static int anchor(int index, int count) {
        return count == 1 ? NODE_HEIGHT / 2 : NODE_HEIGHT / 4 + index * (NODE_HEIGHT / 2) / (count - 1);
    }

    private static void edge(int x1, int y1, int x2, int y2, String upstream, EnvironmentStatus environment,
            StringBuilder html) {
        int bend = (x2 - x1) / 2;
        String state = environment.upstreams().stream().filter(u -> u.environment().equals(upstream)).findFirst()
                .map(u -> u.state().label()).orElse("branch-missing");
        html.append("<path class=\"edge\" data-from=\"").append(escape(upstream)).append("\" data-to=\"")
                .append(escape(environment.name())).append("\" data-state=\"").append(state).append("\" d=\"M")
                .append(x1).append(',').append(y1).append(" C").append(x1 + bend).append(',').append(y1).append(' ')
                .append(x2 - bend).append(',').append(y2).append(' ').append(x2).append(',').append(y2)
                .append("\" marker-end=\"url(#arrow)\"/>\n");
    }

    private static void node(EnvironmentStatus environment, Position at, StringBuilder html) {
        List<String> lines = new ArrayList<>();
        // the branch only where it is not named as the environment: the name is on the line above
        String branch = environment.branch().equals(environment.name()) ? "tip" : environment.branch();
        lines.add(environment.tip().map(tip -> branch + " @ " + tip.abbreviated())
                .orElse(environment.branch() + ": no branch"));
        lines.add(BoardWording.state(environment));
        Optional<Waiting> waiting = environment.upstreams().stream().map(UpstreamStatus::waiting)
                .filter(w -> !w.isEmpty()).findFirst();
        lines.add(waiting.isPresent() ? BoardWording.commits(waiting.get()) + " waiting upstream"
                : environment.isEntry() ? "content enters here" : "nothing waiting");
        html.append("<g class=\"node state-").append(nodeState(environment)).append("\" data-environment=\"")
                .append(escape(environment.name())).append("\" data-branch=\"").append(escape(environment.branch()))
                .append("\" data-not-back-ported=\"").append(environment.notBackPorted())
                .append("\" data-skipped-stage=\"").append(environment.skippedStage()).append("\" data-waiting=\"")
                .append(environment.hasWaiting()).append("\" data-branch-missing=\"").append(environment.branchMissing())
                .append("\" transform=\"translate(").append(at.x()).append(',').append(at.y()).append(")\">\n")
                .append("<title>").append(escape(environment.name() + ": " + BoardWording.state(environment)))
                .append("</title>\n<a href=\"#env-").append(escape(environment.name())).append("\">\n")
                .append("<rect class=\"box\" width=\"").append(NODE_WIDTH).append("\" height=\"").append(NODE_HEIGHT)
                .append("\" rx=\"8\"/>\n<text class=\"name\" x=\"14\" y=\"26\">")
                .append(escape(cut(environment.name(), NODE_NAME_LIMIT))).append("</text>\n");
        int y = 46;
        for (String line : lines) {
            html.append("<text class=\"line\" x=\"14\" y=\"").append(y).append("\">").append(escape(cut(line,
                    NODE_TEXT_LIMIT))).append("</text>\n");
            y += 18;
        }
        Optional<String> badge = badge(environment);
        if (badge.isPresent()) {
            int badgeWidth = 14 + 7 * badge.get().length();
            html.append("<g class=\"badge").append(environment.notBackPorted() ? "" : " skipped")
                    .append("\" data-badge=\"").append(nodeState(environment)).append("\"><rect x=\"14\" y=\"")
                    .append(y - 8).append("\" width=\"").append(badgeWidth).append("\" height=\"18\" rx=\"9\"/>")
                    .append("<text x=\"").append(14 + badgeWidth / 2).append("\" y=\"").append(y + 5)
                    .append("\" text-anchor=\"middle\">").append(badge.get()).append("</text></g>\n");
        }
        html.append("</a>\n</g>\n");
    }

    private static String nodeState(EnvironmentStatus environment) {
        if (environment.branchMissing()) {
            return "branch-missing";
        }
        if (environment.notBackPorted()) {
            return "not-back-ported";
        }
        if (environment.skippedStage()) {
            return "skipped-stage";
        }
        if (environment.hasWaiting()) {
            return "behind";
        }
        return environment.isEntry() ? "entry" : "in-sync";
    }

    private static void details(EnvironmentStatus environment, Instant now, StringBuilder html) {
        html.append("<section class=\"environment\" id=\"env-").append(escape(environment.name()))
                .append("\" data-environment=\"").append(escape(environment.name()))
                .append("\" data-not-back-ported=\"").append(environment.notBackPorted())
                .append("\" data-skipped-stage=\"").append(environment.skippedStage())
                .append("\" data-waiting=\"").append(environment.hasWaiting())
                .append("\" data-branch-missing=\"").append(environment.branchMissing()).append("\">\n<h2>")
                .append(escape(environment.name()));
        Optional<String> badge = badge(environment);
        if (badge.isPresent()) {
            html.append(" <span class=\"badge").append(environment.notBackPorted() ? "" : " skipped").append("\">")
                    .append(badge.get()).append("</span>");
        }
        html.append("</h2>\n<p class=\"meta-line\">branch <code>").append(escape(environment.branch())).append("</code>")
                .append(environment.isEntry() ? ", entry: content enters the chain here"
                        : ", promotes from " + escape(String.join(", ", environment.promotesFrom())))
                .append("</p>\n<dl>\n");
        term(html, "tip");
        if (environment.tip().isEmpty()) {
            html.append("branch <code>").append(escape(environment.branch())).append("</code> does not exist");
        } else {
            commit(html, environment.tip().get());
        }
        html.append("</dd>\n");
        for (UpstreamStatus upstream : environment.upstreams()) {
            term(html, "from " + upstream.environment());
            html.append(escape(BoardWording.upstream(upstream)));
            if (upstream.state() == UpstreamState.SKIPPED_STAGE || upstream.state() == UpstreamState.NOT_BACK_PORTED) {
                paths(html, "differs from " + upstream.environment() + "'s tip in", upstream.differingPaths());
            }
            if (upstream.tipAlreadyPassed()) {
                html.append("<br>").append(escape(BoardWording.tipAlreadyPassed(upstream)));
            }
            html.append("</dd>\n");
            if (!upstream.waiting().isEmpty()) {
                term(html, "waiting in " + upstream.environment());
                html.append(escape(BoardWording.commits(upstream.waiting()))).append(" not promoted here yet");
                paths(html, "changing", upstream.waiting().paths());
                html.append("</dd>\n");
            }
            if (!upstream.notBroughtBack().isEmpty()) {
                term(html, "not back-ported");
                html.append(escape(BoardWording.notBackPorted(upstream)));
                paths(html, "in", upstream.notBroughtBack());
                html.append("</dd>\n");
            }
        }
        Optional<NextInLine> next = environment.nextInLine();
        if (next.isPresent()) {
            term(html, "next in line");
            html.append(escape(next.get().fromEnvironment())).append("'s tip ");
            commit(html, next.get().commit());
            html.append(next.get().alreadyHere() ? " (already here)" : "").append("</dd>\n");
            if (next.get().blocked().isPresent()) {
                term(html, "blocked");
                html.append("<span class=\"blocked\" data-blocked=\"")
                        .append(next.get().blocked().get().reason().label()).append("\">")
                        .append(escape(BoardWording.blocked(next.get()))).append("</span></dd>\n");
            }
            if (!next.get().evidence().isEmpty()) {
                term(html, "evidence");
                evidence(html, next.get().evidence(), now);
                html.append("</dd>\n");
            }
            if (next.get().approvals().isPresent()) {
                term(html, "approvals");
                approvals(html, next.get().approvals().get());
                html.append("</dd>\n");
            }
            if (next.get().customRules().isPresent()) {
                CustomRuleCounts counts = next.get().customRules().get();
                term(html, "custom rules");
                html.append("<span class=\"ready-").append(counts.satisfied()).append("\" data-judged=\"")
                        .append(counts.judged()).append("\" data-failing=\"").append(counts.failing()).append("\">")
                        .append(escape(BoardWording.customRules(counts))).append("</span></dd>\n");
            }
            if (!next.get().evidence().isEmpty() || next.get().approvals().isPresent()
                    || next.get().blocked().isPresent() || next.get().customRules().isPresent()) {
                term(html, "ready");
                html.append("<span class=\"ready-").append(next.get().ready()).append("\" data-ready=\"")
                        .append(next.get().ready()).append("\">").append(escape(BoardWording.readiness(next.get())))
                        .append("</span></dd>\n");
            }
        }
        if (next.isEmpty() && !environment.isEntry() && !environment.upstreams().isEmpty()) {
            term(html, "next in line");
            html.append("none: no upstream has content newer than this</dd>\n");
        }
        html.append("</dl>\n</section>\n");
    }

    /** {@code hotfix} or {@code skipped}: the badge of an environment that needs acting on. */
    private static Optional<String> badge(EnvironmentStatus environment) {
        if (environment.notBackPorted()) {
            return Optional.of("hotfix not back-ported");
        }
        return environment.skippedStage() ? Optional.of("skipped a stage") : Optional.empty();
    }

    private static void evidence(StringBuilder html, List<EvidenceJudgement> judgements, Instant now) {
        html.append("<table class=\"evidence\"><tr><th>requirement</th><th>finding</th></tr>\n");
        for (EvidenceJudgement judgement : judgements) {
            html.append("<tr data-suite=\"").append(escape(judgement.requirement().suite()))
                    .append("\" data-finding=\"").append(judgement.finding().label()).append('"');
            if (judgement.finding() == EvidenceJudgement.Finding.SOAKING) {
                html.append(" data-ready-at=\"").append(judgement.readyAt().orElseThrow()).append('"');
            }
            html.append("><td>").append(escape(judgement.requirement().describe())).append("</td><td class=\"finding-")
                    .append(judgement.finding().label()).append("\">")
                    .append(escape(BoardWording.evidence(judgement, now))).append("</td></tr>\n");
        }
        html.append("</table>");
    }

    /**
     * One row per approver with a deciding record (counted, not counted, rejected), then one
     * per {@code from} entry still awaited; each row carries {@code data-status} and
     * {@code data-approver} (or {@code data-awaited} for a group or identity of {@code from}).
     */
    private static void approvals(StringBuilder html, ApprovalStatus approvals) {
        ApprovalJudgement judgement = approvals.judgement();
        html.append("<table class=\"approvals\" data-required=\"").append(judgement.requirement().count())
                .append("\" data-counted=\"").append(judgement.counted().size()).append("\" data-satisfied=\"")
                .append(approvals.satisfied()).append("\"><caption>").append(escape(BoardWording.approvalsCounted(approvals)))
                .append("</caption>\n<tr><th>approver</th><th>status</th><th>detail</th></tr>\n");
        for (ApprovalRecord record : judgement.counted()) {
            approvalRow(html, "counted", record.approver(), "counts",
                    "approved at " + Timestamp.text(record.recordedAt()));
        }
        for (ApprovalJudgement.NotCounted notCounted : judgement.notCounted()) {
            approvalRow(html, "not-counted", notCounted.approver(), "does not count", notCounted.reason());
        }
        for (ApprovalRecord record : judgement.rejections()) {
            approvalRow(html, "rejected", record.approver(), "REJECTED", BoardWording.rejection(record)
                    + "; blocks the promotion until " + record.approver() + " records a newer approval");
        }
        if (approvals.missing() > 0) {
            for (ApprovalStatus.Awaited awaited : approvals.awaited()) {
                html.append("<tr data-status=\"awaited\" data-awaited=\"").append(escape(awaited.name()))
                        .append("\"><td>").append(escape(awaited.name())).append("</td><td class=\"approval-awaited\">")
                        .append("awaited</td><td>").append(escape(awaited.group()
                                ? "not yet: " + String.join(", ", awaited.people())
                                : "not yet")).append("</td></tr>\n");
            }
        }
        html.append("</table>");
        BoardWording.waitingFor(approvals).ifPresent(waiting ->
                html.append("<br>waiting for ").append(escape(waiting)));
    }

    private static void approvalRow(StringBuilder html, String status, String approver, String label, String detail) {
        html.append("<tr data-status=\"").append(status).append("\" data-approver=\"").append(escape(approver))
                .append("\"><td>").append(escape(approver)).append("</td><td class=\"approval-").append(status)
                .append("\">").append(label).append("</td><td>").append(escape(detail)).append("</td></tr>\n");
    }

    private static void term(StringBuilder html, String term) {
        html.append("<dt>").append(escape(term)).append("</dt><dd>");
    }

    private static void commit(StringBuilder html, CommitSummary commit) {
        html.append("<code title=\"").append(escape(commit.id())).append("\">").append(escape(commit.abbreviated()))
                .append("</code> ").append(escape(commit.date().toString())).append(" ")
                .append(escape(commit.subject()));
    }

    private static void paths(StringBuilder html, String lead, PathList paths) {
        if (paths.isEmpty()) {
            return;
        }
        html.append("<br>").append(escape(lead)).append(' ').append(BoardWording.paths(paths.total()))
                .append(":<ul class=\"paths\">");
        for (String path : paths.paths()) {
            html.append("<li><code>").append(escape(path)).append("</code></li>");
        }
        if (paths.truncated()) {
            html.append("<li>... and ").append(paths.total() - paths.paths().size()).append(" more</li>");
        }
        html.append("</ul>");
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 3) + "...";
    }

    /** Text and attribute values both: commit subjects and paths are anyone's input. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
