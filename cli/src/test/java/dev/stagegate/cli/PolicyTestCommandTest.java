package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.Validator;
import dev.stagegate.policytest.PolicyTestRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class PolicyTestCommandTest {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            environmentSpecificPaths: ["env/**"]
            """;

    private static final String DIRECT_COMMIT = """
            name: a direct commit to main
            history:
              - {branch: main, files: {app.yaml: "v1\\n", env/values.yaml: "production\\n"}}
              - {branch: develop, from: main, files: {env/values.yaml: "development\\n"}}
            push: [{branch: main, files: {app.yaml: "v2\\n"}}]
            expect: {decision: %s}
            """;

    @TempDir
    Path directory;

    private final InProcessStagegate realStagegate = new InProcessStagegate(Engine.of(new Validator(Clock.systemUTC())));

    @Test
    void asksForTheTestsOfTheRepositoryInTheCurrentDirectoryByDefault() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        new InProcessStagegate(engine).in(directory).run("policy", "test");

        assertThat(engine.lastRequest(PolicyTestRequest.class))
                .isEqualTo(new PolicyTestRequest(directory, Optional.empty(), Optional.empty()));
    }

    @Test
    void resolvesTheTestsRepositoryAndPolicyAgainstTheCurrentDirectory() throws IOException {
        Files.createDirectories(directory.resolve("gitops"));
        Files.createDirectories(directory.getParent().resolve("server"));
        Files.writeString(directory.getParent().resolve("server/policy.yaml"), "apiVersion: stagegate/v1\n");
        ScriptedEngine engine = ScriptedEngine.accepting();

        new InProcessStagegate(engine).in(directory)
                .run("policy", "test", "cases", "--repo", "gitops", "--policy", "../server/policy.yaml");

        assertThat(engine.lastRequest(PolicyTestRequest.class)).isEqualTo(new PolicyTestRequest(
                directory.resolve("gitops"), Optional.of(directory.resolve("cases")),
                Optional.of(directory.getParent().resolve("server/policy.yaml"))));
    }

    @Test
    void passesTheAllowedSignersFile() {
        ScriptedEngine engine = ScriptedEngine.accepting();

        new InProcessStagegate(engine).in(directory).run("policy", "test", "--allowed-signers", "keys");

        assertThat(engine.lastRequest(PolicyTestRequest.class).allowedSignersFile())
                .contains(directory.resolve("keys"));
    }

    @Test
    void aMalformedAllowedSignersFileIsAProblemOfTheRun() throws IOException {
        Files.writeString(directory.resolve("keys"), "alice ssh-ed25519 not-base64\n");

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test", "--allowed-signers", "keys");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout() + run.stderr()).contains("keys:1:");
    }

    @Test
    void refusesAnUnknownFormat() {
        InProcessStagegate.Run run = new InProcessStagegate(ScriptedEngine.accepting()).in(directory)
                .run("policy", "test", "--format", "sarif");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--format must be text, json or junit, not 'sarif'");
    }

    @Test
    void exitsZeroWhenEveryCasePasses() throws IOException {
        writeRepository("reject");

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test");

        assertThat(run.status()).isZero();
        assertThat(run.stdout()).isEqualTo("""
                PASS    a direct commit to main
                policy test: 1 passed, 0 failed (1 case)
                """);
    }

    @Test
    void exitsOneAndShowsTheDifferenceWhenACaseFails() throws IOException {
        writeRepository("accept");

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout()).contains(
                "FAIL    a direct commit to main  (.stagegate/tests/direct.yaml:1:1)",
                "      decision: expected accept, actual reject",
                "      errors: expected [], actual [skipped-stage] (unexpected skipped-stage)",
                "        error [skipped-stage] refs/heads/main (production)",
                "policy test: 0 passed, 1 failed (1 case)");
    }

    @Test
    void exitsTwoAndLocatesTheProblemOfAnInvalidTestFile() throws IOException {
        writeRepository("reject");
        Files.writeString(directory.resolve(".stagegate/tests/typo.yaml"), "name: typo\npush: []\nexpect: {}\n");

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).contains(
                ".stagegate/tests/typo.yaml:2:1: push: must have at least 1 item, found 0",
                ".stagegate/tests/typo.yaml:3:1: expect: required property 'decision' is missing");
    }

    @Test
    void writesWellFormedJUnitXml() throws Exception {
        writeRepository("accept");

        InProcessStagegate.Run run = realStagegate.in(directory)
                .run("policy", "test", "--format", "junit", "--output", "policy-tests.xml");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                Files.readAllBytes(directory.resolve("policy-tests.xml"))));
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(xml.getElementsByTagName("failure").item(0).getTextContent())
                .contains("decision: expected accept, actual reject");
    }

    @Test
    void writesJsonOnRequest() throws IOException {
        writeRepository("reject");

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test", "--format", "json");

        assertThat(run.stdout()).startsWith("{\n  \"status\" : 0,").contains("\"result\" : \"passed\"");
    }

    @Test
    void theExampleRepositorysCasesAllPass() {
        Path example = exampleRepository();

        InProcessStagegate.Run run = realStagegate.run("policy", "test", "--repo", example.toString());

        assertThat(run.stdout()).doesNotContain("FAIL", "INVALID", "ERROR");
        assertThat(run.stdout().lines().filter(line -> line.startsWith("PASS")).count()).isGreaterThanOrEqualTo(7);
        assertThat(run.status()).as(run.stdout()).isZero();
    }

    /** As a server holds it: no working tree, the policy and the tests in the default branch's tree. */
    @Test
    void readsThePolicyAndTheTestsOfABareRepositoryFromHead() throws Exception {
        Path checkout = directory.resolve("checkout");
        Path bare = directory.resolve("server.git");
        try (Git git = Git.init().setDirectory(checkout.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(checkout.resolve(".stagegate/tests"));
            Files.writeString(checkout.resolve(".stagegate/policy.yaml"), POLICY);
            Files.writeString(checkout.resolve(".stagegate/tests/direct.yaml"), DIRECT_COMMIT.formatted("reject")
                    .replace("{decision: reject}", "{decision: reject, errors: [skipped-stage]}"));
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Policy and its tests").setSign(false).call();
        }
        Git.cloneRepository().setURI(checkout.toUri().toString()).setDirectory(bare.toFile()).setBare(true).call()
                .close();

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test", "--repo", "server.git");

        assertThat(run.status()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("""
                PASS    a direct commit to main
                policy test: 1 passed, 0 failed (1 case)
                """);
    }

    @Test
    void aBareRepositoryWithoutAPolicyAtHeadSaysWhereItLooked() throws Exception {
        Path bare = directory.resolve("server.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();

        InProcessStagegate.Run run = realStagegate.in(directory).run("policy", "test", "--repo", "server.git");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stdout()).contains("the bare repository " + bare + " has no commit at HEAD");
    }

    private void writeRepository(String expectedDecision) throws IOException {
        Files.createDirectories(directory.resolve(".stagegate/tests"));
        Files.writeString(directory.resolve(".stagegate/policy.yaml"), POLICY);
        String testCase = DIRECT_COMMIT.formatted(expectedDecision);
        if (expectedDecision.equals("reject")) {
            testCase = testCase.replace("{decision: reject}", "{decision: reject, errors: [skipped-stage]}");
        }
        Files.writeString(directory.resolve(".stagegate/tests/direct.yaml"), testCase, StandardCharsets.UTF_8);
    }

    /** examples/gitops-repo of this checkout, found upwards from the module the test runs in. */
    private static Path exampleRepository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path example = dir.resolve("examples/gitops-repo");
            if (Files.isRegularFile(example.resolve(".stagegate/policy.yaml"))) {
                return example;
            }
        }
        throw new IllegalStateException("examples/gitops-repo not found above " + Path.of("").toAbsolutePath());
    }
}
