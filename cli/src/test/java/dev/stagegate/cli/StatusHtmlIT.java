package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.testing.FanInFixture;
import dev.stagegate.testing.GitOpsFixture;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page {@code stagegate status --html} writes, for a repository whose production
 * carries a hotfix never back-ported, opened in a real browser: Debian's headless Chromium.
 * The DOM it dumps must hold one node per environment with the hotfixed one marked, and its
 * screenshot must show the red of that marking; issue 13's fan-in board must fit a 1400 px
 * window with every node's text inside its node. Without the browser the test fails: a
 * skipped check would pass a page nobody looked at.
 */
@Tag("end-to-end")
class StatusHtmlIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long BROWSER_TIMEOUT_SECONDS = 120;
    private static final Pattern NODE = Pattern.compile("<g class=\"node[^\"]*\"[^>]*>");
    private static final Pattern EDGE = Pattern.compile("<path class=\"edge\"[^>]*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("(data-[a-z-]+)=\"([^\"]*)\"");
    /** The drift colour of the page's style sheet, #c62828. */
    private static final int DRIFT_RED = 0xc62828;

    @TempDir
    Path root;

    private Path page;

    @BeforeEach
    void thePageOfADriftedRepository() throws IOException {
        Path repository = root.resolve("server.git");
        try (GitOpsFixture gitops = GitOpsFixture.create(repository)) {
            gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                    .message("Hotfix straight into production").commitTo("main");
        }
        page = root.resolve("status.html");
        GitCli git = GitCli.inHome(root.resolve("home"));
        ProgramResult status = new Workspace(git, root).stagegate(Map.of(), "status", "--repo", repository.toString(),
                "--html", page.toString());
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.output()).contains("HOTFIX not in staging");
    }

    @Test
    void theRenderedPageHasOneNodePerEnvironmentWithTheHotfixedOneMarked() throws IOException {
        String dom = chromium("--dump-dom", page.toUri().toString());

        List<Map<String, String>> nodes = elements(NODE, dom);
        assertThat(nodes).extracting(node -> node.get("data-environment"))
                .containsExactly("development", "testing", "staging", "production");
        assertThat(nodes).extracting(node -> node.get("data-not-back-ported"))
                .containsExactly("false", "false", "false", "true");
        String productionNode = dom.substring(dom.indexOf("data-environment=\"production\" data-branch"));
        productionNode = productionNode.substring(0, productionNode.indexOf("</a>"));
        assertThat(productionNode).contains("data-badge=\"not-back-ported\"")
                .containsPattern(">\\s*hotfix not back-ported\\s*</text>");
        assertThat(elements(EDGE, dom)).extracting(edge -> edge.get("data-from") + "->" + edge.get("data-to"))
                .containsExactly("development->testing", "testing->staging", "staging->production");
        assertThat(dom).contains("id=\"env-production\"", "apps/web/values.yaml");
    }

    @Test
    void theScreenshotShowsTheHotfixMarking() throws IOException {
        Path screenshot = root.resolve("status.png");
        chromium("--window-size=1280,900", "--screenshot=" + screenshot, page.toUri().toString());

        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("a PNG at %s", screenshot).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        int red = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (close(image.getRGB(x, y) & 0xffffff, DRIFT_RED)) {
                    red++;
                }
            }
        }
        assertThat(red).as("pixels of the hotfix badge and border").isGreaterThan(1000);
    }

    /**
     * Issue 13's shape: main -> qa -> four tests -> three stagings (each from all four tests,
     * 4 -> 3 edges) -> three prods, twelve environments with long names, in every state. At
     * 1400 px the page must not scroll sideways, the graph must be drawn at full size (not
     * shrunk to fit), and every line of text of every node must lie inside its node. The
     * screenshot is kept at {@code cli/target/status-fan-in-1400.png} for a person to look at.
     */
    @Test
    void theFanInBoardFitsAFourteenHundredPixelWindowWithEveryNodesTextInsideIt() throws IOException {
        Path repository = root.resolve("fan-in.git");
        try (GitOpsFixture gitops = FanInFixture.createWithEveryState(repository)) {
            assertThat(gitops.tip("prod-eu-west").getShortMessage()).startsWith("Hotfix");
        }
        Path fanInPage = root.resolve("fan-in.html");
        ProgramResult status = new Workspace(GitCli.inHome(root.resolve("home")), root).stagegate(
                Map.of("STAGEGATE_NOW", GitOpsFixture.NOW.toString()), "status", "--repo", repository.toString(),
                "--html", fanInPage.toString());
        assertThat(status.exitCode()).as("%s", status).isZero();
        Path harness = Files.writeString(root.resolve("measure-fan-in.html"), GRAPH_HARNESS.replace("PAGE",
                fanInPage.getFileName().toString()));

        String dom = chromium("--allow-file-access-from-files", "--window-size=1400,900", "--dump-dom",
                harness.toUri().toString());

        Matcher measured = Pattern.compile("<pre id=\"measured\">([^<]*)</pre>").matcher(dom);
        assertThat(measured.find()).as("the harness wrote its measurements: %s", dom).isTrue();
        JsonNode page = new ObjectMapper().readTree(measured.group(1).replace("&quot;", "\""));
        assertThat(page.get("innerWidth").asInt()).isEqualTo(1400);
        assertThat(page.get("scrollWidth").asInt()).as("the page does not scroll sideways").isLessThanOrEqualTo(1400);
        JsonNode graph = page.get("graph");
        assertThat(graph.get("right").asDouble()).as("the graph's right edge").isLessThanOrEqualTo(1400);
        assertThat(graph.get("width").asDouble()).as("drawn at full size, not shrunk")
                .isEqualTo(graph.get("declaredWidth").asDouble());
        List<String> names = new ArrayList<>();
        page.get("nodes").forEach(node -> {
            names.add(node.get("environment").asText());
            node.get("overflowing").forEach(text -> fail("text '%s' of node %s overflows it", text.asText(),
                    node.get("environment").asText()));
        });
        assertThat(names).hasSize(12).contains("staging-eu-central", "prod-eu-west");
        assertThat(page.get("edges").asInt()).isEqualTo(1 + 4 + 12 + 3);

        Path kept = Files.createDirectories(Path.of("target")).resolve("status-fan-in-1400.png");
        chromium("--window-size=1400,1100", "--screenshot=" + kept.toAbsolutePath(), fanInPage.toUri().toString());
        BufferedImage image = ImageIO.read(kept.toFile());
        assertThat(image).as("a PNG at %s", kept).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
    }

    /**
     * Frames the board page at the window's width and writes into its own DOM the page's
     * scroll width, the graph's drawn and declared width, how many edges it has, and for each
     * node the texts whose box reaches past the node's box.
     */
    private static final String GRAPH_HARNESS = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><style>
            body { margin: 0 } iframe { border: 0; width: 100vw; height: 900px; display: block }
            </style></head><body><iframe id="page" src="PAGE"></iframe><pre id="measured"></pre><script>
            document.getElementById('page').addEventListener('load', () => {
              const doc = document.getElementById('page').contentDocument;
              const svg = doc.querySelector('.graph svg');
              const nodes = [...doc.querySelectorAll('g.node')].map(node => {
                const box = node.querySelector('rect.box').getBoundingClientRect();
                const overflowing = [...node.querySelectorAll('text')].filter(text => {
                  const r = text.getBoundingClientRect();
                  return r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom;
                }).map(text => text.textContent);
                return { environment: node.dataset.environment, overflowing };
              });
              document.getElementById('measured').textContent = JSON.stringify({ nodes,
                edges: doc.querySelectorAll('path.edge').length,
                graph: { right: svg.getBoundingClientRect().right, width: svg.getBoundingClientRect().width,
                         declaredWidth: Number(svg.getAttribute('width')) },
                scrollWidth: doc.documentElement.scrollWidth, innerWidth: doc.defaultView.innerWidth });
            });
            </script></body></html>
            """;

    /**
     * A page whose production needs two approvals: alice's counts, eve's does not (not named),
     * bob rejected with a 400-character comment without a space, and release-managers and dana
     * are awaited. Measured in the browser at 1400 px by a harness page that frames it (the
     * page itself runs no script): the approvals table is drawn, fits the window, and the page
     * does not scroll sideways.
     */
    @Test
    void theApprovalsTableIsDrawnWithinTheWindowAndNamesWhoCountedAndWhoIsAwaited() throws IOException {
        Path repository = root.resolve("approvals.git");
        String policy = GitOpsFixture.policyWithProduction("""
                requiresApproval:
                  count: 2
                  from: [release-managers, dana]
                """) + """
                groups:
                  release-managers: [alice, bob, carol]
                identities:
                  alice: [alice@example.com]
                  bob: [bob@example.com]
                  carol: [carol@example.com]
                  dana: [dana@example.com]
                """;
        try (GitOpsFixture gitops = GitOpsFixture.create(repository, policy)) {
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.passEvidence("staging", "integration");
            RevCommit staging = gitops.tip("staging");
            gitops.repo().addNote(GitOpsFixture.NOTES, staging,
                    approval(staging, "alice", "approved", ""),
                    approval(staging, "eve", "approved", ""),
                    approval(staging, "bob", "rejected", "https://tickets.example/" + "x".repeat(400)));
        }
        Path approvalsPage = root.resolve("approvals.html");
        ProgramResult status = new Workspace(GitCli.inHome(root.resolve("home")), root).stagegate(
                Map.of("STAGEGATE_NOW", GitOpsFixture.NOW.toString()), "status", "--repo", repository.toString(),
                "--html", approvalsPage.toString());
        assertThat(status.exitCode()).as("%s", status).isZero();
        Path harness = Files.writeString(root.resolve("measure.html"), MEASURING_HARNESS.replace("PAGE",
                approvalsPage.getFileName().toString()));

        String dom = chromium("--allow-file-access-from-files", "--window-size=1400,900", "--dump-dom",
                harness.toUri().toString());

        Matcher measured = Pattern.compile("<pre id=\"measured\">([^<]*)</pre>").matcher(dom);
        assertThat(measured.find()).as("the harness wrote its measurements: %s", dom).isTrue();
        JsonNode page = new ObjectMapper().readTree(measured.group(1).replace("&quot;", "\""));
        assertThat(page.get("innerWidth").asInt()).isEqualTo(1400);
        assertThat(page.get("scrollWidth").asInt()).as("the page does not scroll sideways").isLessThanOrEqualTo(1400);
        assertThat(page.get("tables")).singleElement().satisfies(table -> {
            assertThat(table.get("display").asText()).isEqualTo("table");
            assertThat(table.get("visibility").asText()).isEqualTo("visible");
            assertThat(table.get("width").asDouble()).isPositive();
            assertThat(table.get("height").asDouble()).isPositive();
            assertThat(table.get("right").asDouble()).as("right edge").isLessThanOrEqualTo(1400);
            assertThat(table.get("satisfied").asText()).isEqualTo("false");
        });
        List<String> rows = new ArrayList<>();
        page.get("rows").forEach(row -> {
            assertThat(row.get("height").asDouble()).as("row %s is drawn", row).isPositive();
            assertThat(row.get("right").asDouble()).as("row %s fits", row).isLessThanOrEqualTo(1400);
            rows.add(row.get("status").asText() + " " + row.get("who").asText() + ": " + row.get("text").asText());
        });
        assertThat(rows).containsExactly(
                "counted alice: alice counts approved at " + APPROVED_AT,
                "not-counted eve: eve does not count not named by from (release-managers, dana)",
                "rejected bob: bob REJECTED bob at " + APPROVED_AT + ": https://tickets.example/" + "x".repeat(400)
                        + "; blocks the promotion until bob records a newer approval",
                "awaited release-managers: release-managers awaited not yet: bob, carol",
                "awaited dana: dana awaited not yet");
        assertThat(page.get("caption").asText()).isEqualTo("1 of 2 from release-managers, dana: alice at " + APPROVED_AT);
    }

    private static final java.time.Instant APPROVED_AT = GitOpsFixture.NOW.minusSeconds(3600);

    private static String approval(RevCommit commit, String approver, String decision, String comment) {
        return "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + commit.name()
                + "\",\"environment\":\"production\",\"approver\":\"" + approver + "\",\"decision\":\"" + decision
                + "\",\"recordedAt\":\"" + APPROVED_AT + "\"" + (comment.isEmpty() ? "" : ",\"comment\":\"" + comment
                + "\"") + "}";
    }

    /**
     * Frames the page at the window's width and writes what the browser laid out into its own
     * DOM, for --dump-dom to print: each approvals table's box and computed style, and each of
     * its rows' box and text. Frame and harness are both file: URLs, which
     * --allow-file-access-from-files makes one origin.
     */
    private static final String MEASURING_HARNESS = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><style>
            body { margin: 0 } iframe { border: 0; width: 100vw; height: 900px; display: block }
            </style></head><body><iframe id="page" src="PAGE"></iframe><pre id="measured"></pre><script>
            document.getElementById('page').addEventListener('load', () => {
              const doc = document.getElementById('page').contentDocument;
              const view = doc.defaultView;
              const box = element => element.getBoundingClientRect();
              const tables = [...doc.querySelectorAll('table.approvals')].map(table => ({
                display: view.getComputedStyle(table).display, visibility: view.getComputedStyle(table).visibility,
                width: box(table).width, height: box(table).height, right: box(table).right,
                satisfied: table.dataset.satisfied }));
              const rows = [...doc.querySelectorAll('table.approvals tr[data-status]')].map(row => ({
                status: row.dataset.status, who: row.dataset.approver || row.dataset.awaited,
                text: [...row.cells].map(cell => cell.innerText).join(' '),
                height: box(row).height, right: box(row).right }));
              const caption = doc.querySelector('table.approvals caption');
              document.getElementById('measured').textContent = JSON.stringify({ tables, rows,
                caption: caption ? caption.innerText : null,
                scrollWidth: doc.documentElement.scrollWidth, innerWidth: view.innerWidth });
            });
            </script></body></html>
            """;

    private static boolean close(int rgb, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (expected >> shift & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }

    private static List<Map<String, String>> elements(Pattern element, String dom) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher tags = element.matcher(dom);
        while (tags.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher attribute = ATTRIBUTE.matcher(tags.group());
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
            found.add(attributes);
        }
        return found;
    }

    /** Runs headless Chromium with its own profile, no network services, and returns what it printed on stdout. */
    private String chromium(String... arguments) throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("this test renders the status page in a real browser and needs " + CHROMIUM
                    + "; install chromium: apt-get install chromium");
        }
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + root.resolve("chromium-profile")));
        command.addAll(List.of(arguments));
        Path stdout = root.resolve("chromium.out");
        Path stderr = root.resolve("chromium.err");
        Process browser = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            if (!browser.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
                fail("chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + "s: " + Files.readString(stderr));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while chromium ran");
        }
        if (browser.exitValue() != 0) {
            fail(command + " exited with " + browser.exitValue() + ":\n" + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
