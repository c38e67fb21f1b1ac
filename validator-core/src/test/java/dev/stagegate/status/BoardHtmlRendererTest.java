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
            + " data-branch=\"[^\"]*\" data-drifted=\"(true|false)\"");
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
                "development false", "testing false", "staging false", "production true");
        assertThat(matches(EDGE, html)).containsExactly(
                "development testing behind", "testing staging in-sync", "staging production drifted");
        assertThat(html).containsOnlyOnce("data-badge=\"drifted\"");
    }

    @Test
    void everyEnvironmentHasADetailsSection() {
        String html = new BoardHtmlRenderer().render(BoardScenarios.driftedProduction(dir.resolve("s.git")));

        assertThat(html).contains(
                "<section class=\"environment\" id=\"env-production\" data-environment=\"production\""
                        + " data-drifted=\"true\"",
                "<li><code>apps/web/values.yaml</code></li>",
                "<dt>not in staging</dt>",
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
}
