package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.Pusher;
import dev.stagegate.Validator;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture maps apps/**&#47;values.yaml to a schema: replicas (integer, at least 1) required, image a string. */
class SchemaViolationRuleTest {

    private static final String RULE = "schema-violation";
    private static final String WEB = "apps/web/values.yaml";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aChangedFileThatFailsItsSchemaIsRejectedAtPathLineColumn() {
        RevCommit change = gitops.change("develop", WEB, "image: web:1.2\nreplicas: 0\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/develop");
            assertThat(v.file()).isEqualTo(WEB);
            assertThat(v.line()).isEqualTo(2);
            assertThat(v.column()).isPositive();
        });
        assertThat(render(outcome)).contains(WEB + ":2:");
    }

    /**
     * A directory whose name is not UTF-8 (Latin-1 "café"): the file under it is checked like
     * any other. It was once looked up by its name encoded as UTF-8 again, not found, and
     * skipped, so an invalid file passed.
     */
    @Test
    void aFileUnderADirectoryNamedInLatin1IsChecked() throws Exception {
        RevCommit change;
        Repository repository = gitops.repo().repository();
        try (ObjectInserter inserter = repository.newObjectInserter(); ObjectReader reader = repository.newObjectReader()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            RevCommit tip = gitops.tip("develop");
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, tip.getTree());
            DirCacheEntry entry = new DirCacheEntry("apps/caf\u00e9/values.yaml".getBytes(StandardCharsets.ISO_8859_1),
                    DirCacheEntry.STAGE_0);
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, "image: web:1.2\nreplicas: 0\n".getBytes(
                    StandardCharsets.UTF_8)));
            builder.add(entry);
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentIds(tip);
            PersonIdent ident = new PersonIdent("Test", "test@example.invalid");
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("a service in a Latin-1 directory\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            change = gitops.repo().parse(id);
        }

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.file()).endsWith("/values.yaml").startsWith("apps/caf"));
    }

    @Test
    void everyProblemIsOneViolation() {
        RevCommit change = gitops.change("develop", WEB, "image: 7\nsize: large\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(violations(outcome, RULE)).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(v -> assertThat(v.file()).isEqualTo(WEB));
    }

    @Test
    void aFileThatIsNotYamlIsRejected() {
        RevCommit change = gitops.change("develop", WEB, "replicas: [2\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).allSatisfy(v -> assertThat(v.file()).isEqualTo(WEB));
    }

    @Test
    void aValidChangeIsAccepted() {
        assertAccepted(gitops.push(gitops.update("develop", gitops.change("develop", WEB, "replicas: 4\n"))));
    }

    @Test
    void filesTheSchemasDoNotMapAreNotChecked() {
        assertAccepted(gitops.push(gitops.update("develop",
                gitops.change("develop", "apps/web/notes.yaml", "replicas: [broken\n"))));
    }

    @Test
    void anUnchangedBrokenFileIsNotJudgedAgain() {
        gitops.repo().commitOn("develop").file(WEB, "replicas: none\n").commitTo("develop");
        RevCommit unrelated = gitops.change("develop", "apps/api/values.yaml", "replicas: 1\n");

        assertAccepted(gitops.push(gitops.update("develop", unrelated)));
    }

    @Test
    void aNewBranchIsComparedWithTheDefaultBranch() {
        gitops.repo().commitOn("main").file(WEB, "replicas: none\n").commitTo("main");
        RevCommit valid = gitops.repo().commitOn("main").file("apps/api/values.yaml", "replicas: 1\n").create();
        RevCommit broken = gitops.repo().commitOn("main").file("apps/api/values.yaml", "replicas: -1\n").create();

        assertAccepted(gitops.push(gitops.update("feature/api", valid)));
        Outcome outcome = gitops.push(gitops.update("feature/api", broken));
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.file()).isEqualTo("apps/api/values.yaml"));
    }

    @Test
    void aSymlinkMatchedByASchemaIsRejected() {
        RevCommit change = gitops.repo().commitOn("develop").symlink("apps/api/values.yaml", "../web/values.yaml")
                .create();

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("apps/api/values.yaml");
    }

    @Test
    void theSchemaIsReadFromThePushedRevision() {
        RevCommit change = gitops.repo().commitOn("develop")
                .file("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA.replace("\"minimum\": 1", "\"minimum\": 0"))
                .file(WEB, "replicas: 0\n").create();

        assertAccepted(gitops.push(gitops.update("develop", change)));
    }

    @Test
    void modeWarnMakesItAWarning() {
        gitops.close();
        gitops = GitOpsFixture.create(dir.resolve("warn.git"), GitOpsFixture.policyPlus("mode: warn\n"));

        Outcome outcome = gitops.push(gitops.update("develop", gitops.change("develop", WEB, "replicas: 0\n")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(GitOpsFixture.warnings(outcome)).containsExactly(RULE);
    }

    /** Resources under k8s/ checked by kind; their schemas and CRDs are files of the pushed revision. */
    @Nested
    class KubernetesManifests {

        private static final String CERTIFICATE = "k8s/web/cert.yaml";
        private static final String CRD = "crds/certificates.yaml";
        private static final String DEPLOYMENT_SCHEMA = "schemas/k8s/v1.31.0-standalone/deployment-apps-v1.json";
        private static final String POLICY = GitOpsFixture.policyPlus("""
                kubernetes:
                  manifests: ["k8s/**/*.yaml"]
                  version: "1.31.0"
                  schemaLocations: ["schemas/k8s"]
                  crds: ["crds/*.yaml"]
                """);

        private static final String DEPLOYMENT = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: %s
                """;

        private static final String CERT = """
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata:
                  name: web
                spec:
                  secretName: web-tls
                  dnsNames: web.example.com
                  issuerRef: {name: letsencrypt}
                """;

        private static final String REPLICAS_SCHEMA = """
                {"type": "object", "properties": {"spec": {"type": "object",
                  "properties": {"replicas": {"type": "integer"}}}}}
                """;

        private static String crd() {
            try (InputStream in = SchemaViolationRuleTest.class.getClassLoader().getResourceAsStream(
                    "kubernetes/crds/cert-manager-v1.21.1-cert-manager.io_certificates.yaml")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @BeforeEach
        void withKubernetesPolicy() {
            gitops.close();
            gitops = GitOpsFixture.create(dir.resolve("kubernetes.git"), POLICY);
        }

        /** Sets develop up as an earlier, accepted push would have left it. */
        private void onDevelop(String path, String content) {
            gitops.repo().commitOn("develop").file(path, content).message("set up " + path).commitTo("develop");
        }

        @Test
        void aChangedInvalidResourceIsRejectedWithItsNameAndSchema() {
            onDevelop(DEPLOYMENT_SCHEMA, REPLICAS_SCHEMA);
            RevCommit change = gitops.change("develop", "k8s/web/deploy.yaml", DEPLOYMENT.formatted("two"));

            Outcome outcome = gitops.push(gitops.update("develop", change));

            assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
                assertThat(v.fileLocation()).isEqualTo("k8s/web/deploy.yaml:6:3");
                assertThat(v.message()).isEqualTo("Deployment web (apps/v1): spec.replicas: expected integer, found"
                        + " string (schema " + DEPLOYMENT_SCHEMA + ")");
            });
        }

        @Test
        void aPushThatOnlyAddsACrdReChecksTheResourcesOfItsKind() {
            onDevelop(CERTIFICATE, CERT);
            onDevelop(".stagegate/policy.yaml", POLICY + "  missingSchema: ignore\n");
            RevCommit change = gitops.change("develop", CRD, crd());

            Outcome outcome = gitops.push(gitops.update("develop", change));

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
                assertThat(v.file()).isEqualTo(CERTIFICATE);
                assertThat(v.line()).isEqualTo(7);
                assertThat(v.message()).isEqualTo("Certificate web (cert-manager.io/v1): spec.dnsNames: expected"
                        + " array, found string (schema from CRD " + CRD + ")");
            });
        }

        @Test
        void aPushThatOnlyRemovesACrdReChecksTheResourcesOfItsKind() {
            onDevelop(CRD, crd());
            onDevelop(CERTIFICATE, CERT.replace("web.example.com", "[web.example.com]"));
            RevCommit removal = gitops.repo().commitOn("develop").delete(CRD).message("remove the CRD").create();

            Outcome outcome = gitops.push(gitops.update("develop", removal));

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
                assertThat(v.file()).isEqualTo(CERTIFICATE);
                assertThat(v.message()).contains("no schema for cert-manager.io/v1/Certificate");
            });
        }

        @Test
        void aPushThatOnlyChangesASchemaFileReChecksTheResourcesOfItsKind() {
            onDevelop(DEPLOYMENT_SCHEMA, "{}");
            onDevelop("k8s/web/deploy.yaml", DEPLOYMENT.formatted("two"));
            onDevelop("k8s/web/other.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
            RevCommit change = gitops.change("develop", DEPLOYMENT_SCHEMA, REPLICAS_SCHEMA);

            Outcome outcome = gitops.push(gitops.update("develop", change));

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement()
                    .satisfies(v -> assertThat(v.file()).isEqualTo("k8s/web/deploy.yaml"));
        }

        @Test
        void theServersSchemaLocationsAreTriedBeforeThePolicys() throws IOException {
            onDevelop(DEPLOYMENT_SCHEMA, "{}");
            Path mirror = dir.resolve("mirror");
            Path schema = mirror.resolve("v1.31.0-standalone/deployment-apps-v1.json");
            Files.createDirectories(schema.getParent());
            Files.writeString(schema, REPLICAS_SCHEMA);
            RevCommit change = gitops.change("develop", "k8s/web/deploy.yaml", DEPLOYMENT.formatted("two"));

            PushRequest push = new PushRequest(gitops.repo().repository(), List.of(gitops.update("develop", change)),
                    new Pusher(Optional.of("alice")), List.of(), Optional.empty(), dir.resolve("audit.log"),
                    Optional.empty(), List.of(mirror.toString()));

            Outcome outcome = new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC)).preReceive(push);

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement()
                    .satisfies(v -> assertThat(v.message()).endsWith("(schema " + schema + ")"));
        }

        @Test
        void aPushThatChangesNeitherManifestsNorTheirSchemasDoesNotReJudgeThem() {
            onDevelop("k8s/web/deploy.yaml", DEPLOYMENT.formatted("two"));
            RevCommit change = gitops.change("develop", "README.md", "docs\n");

            Outcome outcome = gitops.push(gitops.update("develop", change));

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        }

        @Test
        void aPolicyChangeReChecksEveryManifest() {
            onDevelop(DEPLOYMENT_SCHEMA, REPLICAS_SCHEMA);
            onDevelop("k8s/web/deploy.yaml", DEPLOYMENT.formatted("two"));
            RevCommit change = gitops.change("develop", ".stagegate/policy.yaml", POLICY + "  strict: false\n");

            Outcome outcome = gitops.push(gitops.update("develop", change));

            assertThat(violations(outcome, RULE)).singleElement()
                    .satisfies(v -> assertThat(v.file()).isEqualTo("k8s/web/deploy.yaml"));
        }
    }
}
