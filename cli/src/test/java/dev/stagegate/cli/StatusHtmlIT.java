package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page {@code stagegate status --html} writes, for a repository whose production
 * drifted, opened in a real browser: Debian's headless Chromium. The DOM it dumps must hold
 * one node per environment with the drifted one marked, and its screenshot must show the
 * red of the drift marking. Without the browser the test fails: a skipped check would pass
 * a page nobody looked at.
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
        assertThat(status.output()).contains("DRIFTED from staging");
    }

    @Test
    void theRenderedPageHasOneNodePerEnvironmentWithTheDriftedOneMarked() throws IOException {
        String dom = chromium("--dump-dom", page.toUri().toString());

        List<Map<String, String>> nodes = elements(NODE, dom);
        assertThat(nodes).extracting(node -> node.get("data-environment"))
                .containsExactly("development", "testing", "staging", "production");
        assertThat(nodes).extracting(node -> node.get("data-drifted"))
                .containsExactly("false", "false", "false", "true");
        String productionNode = dom.substring(dom.indexOf("data-environment=\"production\" data-branch"));
        productionNode = productionNode.substring(0, productionNode.indexOf("</a>"));
        assertThat(productionNode).contains("data-badge=\"drifted\"").containsPattern(">\\s*drifted\\s*</text>");
        assertThat(elements(EDGE, dom)).extracting(edge -> edge.get("data-from") + "->" + edge.get("data-to"))
                .containsExactly("development->testing", "testing->staging", "staging->production");
        assertThat(dom).contains("id=\"env-production\"", "apps/web/values.yaml");
    }

    @Test
    void theScreenshotShowsTheDriftMarking() throws IOException {
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
        assertThat(red).as("pixels of the drifted badge and border").isGreaterThan(1000);
    }

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
