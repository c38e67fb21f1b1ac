package dev.stagegate.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's markup; that a browser draws it is {@code StatusHtmlIT}'s job (in the cli
 * module, with headless Chromium).
 */
class BoardHtmlRendererTest {

    private static final Pattern NODE = Pattern.compile("<g class=\"node [^\"]*\" data-environment=\"([^\"]+)\""
            + " data-branch=\"[^\"]*\" data-not-back-ported=\"(true|false)\" data-skipped-stage=\"(true|false)\"");
    private static final Pattern EDGE = Pattern.compile("<path class=\"edge\" data-from=\"([^\"]+)\" data-to=\"([^\"]+)\""
            + " data-state=\"([^\"]+)\"");

    @TempDir
    Path dir;

    private static List<String> matches(Pattern pattern, String html) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(html);
        while (matcher.find()) {
            List<String> groups = new ArrayList<>();
            for (int i = 1; i <= matcher.groupCount(); i++) {
                groups.add(matcher.group(i));
            }
            found.add(String.join(" ", groups));
        }
        return found;
    }

    @Test
    void theGraphHasOneNodePerEnvironmentAndOneEdgePerPromotesFrom() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(matches(NODE, html)).containsExactly(
                "development false false", "testing false false", "staging false false", "production true false");
        assertThat(matches(EDGE, html)).containsExactly(
                "development testing behind", "testing staging in-sync", "staging production not-back-ported");
        assertThat(html).containsOnlyOnce("data-badge=\"not-back-ported\"");
    }

    @Test
    void everyEnvironmentHasADetailsSection() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(html).contains(
                "<section class=\"environment\" id=\"env-production\" data-environment=\"production\""
                        + " data-not-back-ported=\"true\" data-skipped-stage=\"false\"",
                "<li><code>apps/web/values.yaml</code></li>",
                "<dt>not back-ported</dt>",
                "<dt>blocked</dt><dd><span class=\"blocked\" data-blocked=\"undoes-hotfix\">it would undo the hotfix",
                "<tr data-suite=\"integration\" data-finding=\"passed\">");
        assertThat(html.split("<section class=\"environment\"", -1)).hasSize(5);
    }

    @Test
    void thePageIsSelfContained() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
                .doesNotContain("<script", "<link", "<img", "src=", "@import", "@font-face");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:");
        assertThat(html.replace("url(#arrow)", "")).doesNotContain("url(");
    }

    @Test
    void textFromTheRepositoryIsEscaped() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(html).contains("Hotfix \u00e9 &lt;b&gt;&amp;&quot;quoted&quot;").doesNotContain("<b>");
    }

    @Test
    void aMissingBranchIsDrawnAsSuch() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.stagingMissing(dir.resolve("s.git")));

        assertThat(html).contains("<g class=\"node state-branch-missing\" data-environment=\"staging\"",
                "data-from=\"testing\" data-to=\"staging\" data-state=\"branch-missing\"",
                "data-from=\"staging\" data-to=\"production\" data-state=\"upstream-missing\"");
    }

    @Test
    void theApprovalsTableNamesWhoCountsWhoDoesNotAndWhoIsAwaited() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.awaitingApprovals(dir.resolve("s.git")));

        assertThat(html).contains("<table class=\"approvals\" data-required=\"2\" data-counted=\"1\""
                        + " data-satisfied=\"false\"><caption>1 of 2 from release-managers, dana: alice at "
                        + BoardScenarios.APPROVED_AT + "</caption>",
                "<tr data-status=\"counted\" data-approver=\"alice\"><td>alice</td>",
                "<tr data-status=\"not-counted\" data-approver=\"eve\"><td>eve</td>",
                "<tr data-status=\"not-counted\" data-approver=\"carol\"><td>carol</td>",
                "<tr data-status=\"awaited\" data-awaited=\"release-managers\"><td>release-managers</td>"
                        + "<td class=\"approval-awaited\">awaited</td><td>not yet: bob</td></tr>",
                "<tr data-status=\"awaited\" data-awaited=\"dana\">",
                "waiting for 1 more from release-managers (bob), dana",
                "<span class=\"ready-false\" data-ready=\"false\">no: deployed soaking until 2026-11-28T08:50:00Z;"
                        + " 1 more approval</span>")
                .doesNotContain("data-status=\"rejected\"");
        assertThat(html).contains("<tr data-suite=\"deployed\" data-finding=\"soaking\""
                + " data-ready-at=\"2026-11-28T08:50:00Z\">", "soaked 3h10m of 1d in staging");
    }

    @Test
    void aRejectionIsARowOfItsOwnWithItsCommentEscaped() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.rejected(dir.resolve("s.git")));

        assertThat(html).contains("data-required=\"2\" data-counted=\"2\" data-satisfied=\"false\"",
                "<tr data-status=\"rejected\" data-approver=\"bob\"><td>bob</td><td class=\"approval-rejected\">"
                        + "REJECTED</td><td>bob at " + BoardScenarios.APPROVED_AT + ": not before the freeze   ready  yes;"
                        + " blocks the promotion until bob records a newer approval</td></tr>",
                "data-ready=\"false\">no: rejected by bob</span>")
                .doesNotContain("data-status=\"awaited\"", "waiting for");
    }

    @Test
    void aReadyPromotionSaysSo() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.approvedAndSoaked(dir.resolve("s.git")));

        assertThat(html).contains("data-satisfied=\"true\"", "<span class=\"ready-true\" data-ready=\"true\">");
    }

    @Test
    void theFanInGraphMarksTheSkippedStageAndTheHotfixApartAndEveryEdge() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.fanIn(dir.resolve("s.git")));

        assertThat(matches(NODE, html)).contains("staging-eu-west false true", "prod-eu-west true false",
                "staging-us-east false false");
        assertThat(matches(EDGE, html)).hasSize(1 + 4 + 12 + 3)
                .contains("test-us-west staging-eu-west skipped-stage", "test-eu-west staging-eu-west in-sync",
                        "test-eu-west staging-us-east behind", "staging-eu-west prod-eu-west not-back-ported");
        assertThat(html).containsOnlyOnce("data-badge=\"skipped-stage\"")
                .containsOnlyOnce("data-badge=\"not-back-ported\"")
                .contains("data-blocked=\"not-in-every-upstream\">not yet in test-us-west")
                .contains("is older content than this: promoting it here would be a step backwards");
    }

    @Test
    void theNextPromotionsCustomRulesShowWhetherTheyPass() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.customRules(dir.resolve("s.git")));

        assertThat(html).contains("<dt>custom rules</dt><dd><span class=\"ready-false\" data-judged=\"2\""
                + " data-failing=\"1\">fail: production-replicas (1); warn: three-replicas (2); of 2</span></dd>");
    }
}
