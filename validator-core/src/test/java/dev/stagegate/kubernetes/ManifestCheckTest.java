package dev.stagegate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.KindCount;
import dev.stagegate.report.ManifestSummary;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} over repositories whose policy has a {@code kubernetes} section, with the
 * kubeconform-layout schemas and the published CRDs of src/test/resources/kubernetes.
 */
class ManifestCheckTest {

    private static final String RULE = "schema-violation";
    private static final String K8S = "schemas/k8s/";
    private static final String CERT_MANAGER_CRD = "crds/cert-manager.yaml";

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: %s
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: web:1.0
            """;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
                - port: %s
            """;

    private static final String CERTIFICATE = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
            spec:
              secretName: web-tls
              dnsNames: %s
              issuerRef:
                name: letsencrypt
                kind: ClusterIssuer
            """;

    @TempDir
    Path dir;

    private TestRepository repo;

    @AfterEach
    void close() {
        if (repo != null) {
            repo.close();
        }
    }

    private static String policy(String kubernetes) {
        StringBuilder indented = new StringBuilder();
        for (String line : kubernetes.split("\n")) {
            indented.append("  ").append(line).append('\n');
        }
        return """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: production
                    branch: main
                kubernetes:
                """ + indented;
    }

    /** The kubeconform directory of the fixtures under schemas/k8s, and the policy. */
    private TestRepository.CommitSpec repository(String kubernetes) {
        repo = TestRepository.bare(dir.resolve("repo.git"));
        TestRepository.CommitSpec commit = repo.orphan().file(".stagegate/policy.yaml", policy(kubernetes));
        for (String flavour : List.of("v1.31.0-standalone", "v1.31.0-standalone-strict")) {
            for (String file : List.of("deployment-apps-v1.json", "service-v1.json", "configmap-v1.json")) {
                commit.file(K8S + flavour + "/" + file, KubernetesFixtures.bytes("schemas/" + flavour + "/" + file));
            }
        }
        return commit;
    }

    private Outcome validate(TestRepository.CommitSpec commit) {
        return validate(commit, List.of());
    }

    private Outcome validate(TestRepository.CommitSpec commit, List<String> serverLocations) {
        commit.message("manifests").commitTo("main");
        return new Validator(Clock.systemUTC()).validate(
                new ValidateRequest(repo.directory(), Optional.of("main"), Optional.empty(), serverLocations));
    }

    private static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }

    private static List<Violation> violations(Outcome outcome) {
        return outcome.verdict().violations().stream().filter(v -> v.rule().equals(RULE)).toList();
    }

    private static KindCount count(Outcome outcome, String kind) {
        return outcome.verdict().manifests().orElseThrow().kinds().stream()
                .filter(count -> count.kind().equals(kind)).findFirst().orElseThrow();
    }

    private static final String KUBECONFORM_DIRECTORY = """
            manifests: ["apps/**/*.yaml"]
            version: "1.31.0"
            schemaLocations: ["schemas/k8s"]
            """;

    @Test
    void aDeploymentIsCheckedAgainstTheSchemaOfItsKindAtTheOffendingKeyWithItsName() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("\"two\"")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        // generated schemas wrap spec in anyOf and replicas in a nullable type list: the key itself is named
        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("apps/web/deploy.yaml");
            assertThat(v.line()).isEqualTo(6);
            assertThat(v.column()).isEqualTo(3);
            assertThat(v.message()).isEqualTo("Deployment web (apps/v1): spec.replicas: expected integer, found string"
                    + " (schema schemas/k8s/v1.31.0-standalone/deployment-apps-v1.json)");
        });
    }

    /** kubeconform tries the next location when a schema does not compile; a security control fails closed. */
    @Test
    void aSchemaThatDoesNotCompileIsAnErrorNotASkipToTheNextLocation() {
        Outcome outcome = validate(repository("""
                manifests: ["apps/**/*.yaml"]
                version: "1.31.0"
                schemaLocations: ["broken", "schemas/k8s"]
                """)
                .file("broken/v1.31.0-standalone/deployment-apps-v1.json", "{\"type\": \"object\", \"required\": 7}")
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> assertThat(v.message())
                .startsWith("Deployment web (apps/v1): ")
                .contains("its schema broken/v1.31.0-standalone/deployment-apps-v1.json cannot be used"));
    }

    @Test
    void aValidDeploymentAndServicePassAndAreCounted() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2") + "---\n" + SERVICE.formatted("80")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(count(outcome, "apps/v1/Deployment")).isEqualTo(new KindCount("apps/v1/Deployment", 1, 1, 0, 0));
        assertThat(count(outcome, "v1/Service")).isEqualTo(new KindCount("v1/Service", 1, 1, 0, 0));
        assertThat(render(outcome)).contains("kubernetes: 1 manifest file (0 excluded), 2 resources of 2 kinds,"
                + " 2 checked, 0 not checked, 0 empty documents\n  apps/v1/Deployment: 1 resource in 1 file, 1 checked");
        assertThat(new TextRenderer(false).render(outcome.verdict())).contains("2 resources of 2 kinds")
                .doesNotContain("apps/v1/Deployment:");
    }

    /**
     * Every variable of kubeconform's templates, as its CRDs-catalog layout uses them:
     * {@code Group}, {@code ResourceKind} (lowercased), {@code ResourceAPIVersion}; the
     * directory layout above uses the other three.
     */
    @Test
    void eachTemplateVariableRendersAsKubeconformRendersIt() {
        String catalogSchema = """
                {"type": "object", "properties": {"spec": {"type": "object",
                  "properties": {"secretName": {"type": "string"}}}}}
                """;
        Outcome outcome = validate(repository("""
                manifests: ["apps/**/*.yaml"]
                version: "1.31.0"
                strict: true
                schemaLocations:
                  - "schemas/k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{.ResourceKind}}{{ .KindSuffix }}.json"
                  - "catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
                """)
                .file("catalog/cert-manager.io/certificate_v1.json", catalogSchema)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("\"two\""))
                .file("apps/web/service.yaml", SERVICE.formatted("true"))
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("[web.example.com]").replace("web-tls", "7")));

        assertThat(violations(outcome)).extracting(Violation::message).satisfiesExactlyInAnyOrder(
                certificate -> assertThat(certificate).isEqualTo("Certificate web (cert-manager.io/v1):"
                        + " spec.secretName: expected string, found integer"
                        + " (schema catalog/cert-manager.io/certificate_v1.json)"),
                deployment -> assertThat(deployment).isEqualTo("Deployment web (apps/v1): spec.replicas: expected"
                        + " integer, found string (schema schemas/k8s/v1.31.0-standalone-strict/deployment-apps-v1.json)"),
                service -> assertThat(service).isEqualTo("Service web (v1): spec.ports[0].port: expected integer,"
                        + " found boolean (schema schemas/k8s/v1.31.0-standalone-strict/service-v1.json)"));
    }

    @Test
    void aLocationWrittenWithDotSlashOrDoubleSlashesNamesTheSameFiles() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY.replace("[\"schemas/k8s\"]",
                "[\"./schemas//k8s/\"]")).file("apps/web/deploy.yaml", DEPLOYMENT.formatted("\"two\"")));

        assertThat(violations(outcome)).singleElement().satisfies(v -> assertThat(v.message())
                .endsWith(" (schema schemas/k8s/v1.31.0-standalone/deployment-apps-v1.json)"));
    }

    @Test
    void strictRejectsAnUnknownFieldThatNonStrictAccepts() {
        String unknownField = DEPLOYMENT.formatted("2").replace("  replicas: 2\n", "  replicas: 2\n  replica: 3\n");

        Outcome lenient = validate(repository(KUBECONFORM_DIRECTORY).file("apps/web/deploy.yaml", unknownField));
        close();
        dir = dir.resolve("strict");
        Outcome strict = validate(repository(KUBECONFORM_DIRECTORY + "strict: true\n")
                .file("apps/web/deploy.yaml", unknownField));

        assertThat(lenient.status()).as(render(lenient)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(strict.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(strict)).singleElement().satisfies(v -> {
            assertThat(v.line()).isBetween(5, 7);
            assertThat(v.message()).startsWith("Deployment web (apps/v1): spec").contains("replica")
                    .endsWith("(schema schemas/k8s/v1.31.0-standalone-strict/deployment-apps-v1.json)");
        });
    }

    private static final String SEALED_SECRET = """
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              name: db
            """;

    @Test
    void aMissingSchemaIsAnErrorByDefaultListingTheLocationsTried() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY).file("apps/db/secret.yaml", SEALED_SECRET));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.isError()).isTrue();
            assertThat(v.line()).isEqualTo(1);
            assertThat(v.message()).isEqualTo("SealedSecret db (bitnami.com/v1alpha1): no schema for"
                    + " bitnami.com/v1alpha1/SealedSecret (tried schemas/k8s/v1.31.0-standalone/"
                    + "sealedsecret-bitnami-v1alpha1.json); add its schema or CRD, or list the kind in"
                    + " kubernetes.skipKinds (missingSchema: error)");
        });
    }

    @Test
    void aMissingSchemaUnderWarnIsAWarning() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY + "missingSchema: warn\n")
                .file("apps/db/secret.yaml", SEALED_SECRET));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> assertThat(v.isError()).isFalse());
        assertThat(count(outcome, "bitnami.com/v1alpha1/SealedSecret").missingSchema()).isEqualTo(1);
    }

    @Test
    void aMissingSchemaUnderIgnoreIsOnlyCounted() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY + "missingSchema: ignore\n")
                .file("apps/db/secret.yaml", SEALED_SECRET));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(violations(outcome)).isEmpty();
        assertThat(count(outcome, "bitnami.com/v1alpha1/SealedSecret"))
                .isEqualTo(new KindCount("bitnami.com/v1alpha1/SealedSecret", 1, 1, 0, 1));
        assertThat(render(outcome)).contains("1 without a schema (missingSchema)");
    }

    @Test
    void skipKindsLeavesAKindUncheckedByKindOrByApiVersionAndKind() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY
                + "skipKinds: [SealedSecret, apps/v1/Deployment]\n")
                .file("apps/db/secret.yaml", SEALED_SECRET)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("\"two\"")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(count(outcome, "apps/v1/Deployment").skipped()).isEqualTo(1);
        assertThat(count(outcome, "bitnami.com/v1alpha1/SealedSecret").skipped()).isEqualTo(1);
    }

    private static final String WITH_CRDS = """
            manifests: ["apps/**/*.yaml"]
            version: "1.31.0"
            schemaLocations: ["schemas/k8s", "catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"]
            crds: ["crds/**/*.yaml"]
            """;

    private static byte[] certManagerCrd() {
        return KubernetesFixtures.bytes("crds/cert-manager-v1.21.1-cert-manager.io_certificates.yaml");
    }

    @Test
    void aCrdInTheRepositoryChecksItsResources() {
        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, certManagerCrd())
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("web.example.com"))
                .file("apps/api/cert.yaml", CERTIFICATE.formatted("[api.example.com]")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("apps/web/cert.yaml");
            assertThat(v.line()).isEqualTo(7);
            assertThat(v.message()).isEqualTo("Certificate web (cert-manager.io/v1): spec.dnsNames: expected array,"
                    + " found string (schema from CRD " + CERT_MANAGER_CRD + ")");
        });
        assertThat(count(outcome, "cert-manager.io/v1/Certificate"))
                .isEqualTo(new KindCount("cert-manager.io/v1/Certificate", 2, 2, 0, 0));
    }

    @Test
    void aCrdInTheRepositoryWinsOverTheSchemaLocations() {
        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, certManagerCrd())
                .file("catalog/cert-manager.io/certificate_v1.json", "{}")
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("web.example.com")));

        assertThat(violations(outcome)).singleElement()
                .satisfies(v -> assertThat(v.message()).endsWith("(schema from CRD " + CERT_MANAGER_CRD + ")"));
    }

    /** A repository cannot replace the platform's schema of a kind, not with a CRD either. */
    @Test
    void theServersSchemaLocationWinsOverARepositoryCrd() throws IOException {
        Path mirror = dir.resolve("mirror/cert-manager.io");
        Files.createDirectories(mirror);
        Files.writeString(mirror.resolve("certificate_v1.json"), """
                {"type": "object", "required": ["spec"],
                 "properties": {"spec": {"type": "object", "required": ["secretName"],
                   "properties": {"secretName": {"type": "string", "pattern": "^platform-"}}}}}
                """);

        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, certManagerCrd())
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("web.example.com")),
                List.of(dir.resolve("mirror") + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"));

        assertThat(violations(outcome)).singleElement().satisfies(v -> assertThat(v.message())
                .contains("spec.secretName").contains("(schema " + mirror.resolve("certificate_v1.json") + ")"));
    }

    @Test
    void twoCrdsForTheSameGroupAndKindAreAnErrorAtBothAndTheirResourcesAreNotPassed() {
        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, certManagerCrd())
                .file("crds/copy/certificates.yaml", certManagerCrd())
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("[web.example.com]")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).extracting(v -> v.file() + ":" + v.line()).containsExactlyInAnyOrder(
                CERT_MANAGER_CRD + ":2", "crds/copy/certificates.yaml:2", "apps/web/cert.yaml:1");
        assertThat(violations(outcome)).filteredOn(v -> v.file().startsWith("crds/")).allSatisfy(v ->
                assertThat(v.message()).contains("CustomResourceDefinition for cert-manager.io/Certificate is defined"
                        + " again at"));
    }

    @Test
    void aListsItemsAreCheckedOneByOneAtTheirOwnLines() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY).file("apps/web/list.yaml", """
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: ok}
                    data: {a: b}
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: bad}
                    data: {a: 1}
                """));

        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.line()).isBetween(11, 12);
            assertThat(v.message()).startsWith("ConfigMap bad (v1): data").contains("a: expected");
        });
        assertThat(count(outcome, "v1/ConfigMap").resources()).isEqualTo(2);
    }

    @Test
    void emptyAndNullDocumentsAreSkippedAndCountedAndEveryOtherDocumentIsChecked() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY).file("apps/web/all.yaml", "---\n"
                + "# only a comment\n---\n" + DEPLOYMENT.formatted("2") + "---\nnull\n---\n"
                + SERVICE.formatted("\"http\"") + "---\n"));

        ManifestSummary summary = outcome.verdict().manifests().orElseThrow();
        assertThat(summary.emptyDocuments()).isEqualTo(1);
        assertThat(summary.files()).isEqualTo(1);
        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.line()).isBetween(26, 28);
            assertThat(v.message()).startsWith("Service web (v1): spec").contains("port: expected integer");
        });
    }

    @Test
    void aDocumentWithoutApiVersionOrKindIsNotAResourceUnlessItsFileIsExcluded() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY + "exclude: [\"**/values.yaml\"]\n")
                .file("apps/web/values.yaml", "replicas: 2\n")
                .file("apps/web/config.yaml", "kind: ConfigMap\ndata: {}\n"));

        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("apps/web/config.yaml");
            assertThat(v.message()).startsWith("is not a Kubernetes resource: it has no apiVersion string");
        });
        assertThat(outcome.verdict().manifests().orElseThrow().excludedFiles()).isEqualTo(1);
    }

    /** kubeconform would open schemas/k8s/v1.31.0-standalone/../../../secret-v1.json; stagegate reads nothing. */
    @Test
    void aKindThatWouldClimbOutOfTheSchemaDirectoryIsAViolationAndReadsNothing() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("secret-v1.json", "{}")
                .file("apps/web/evil.yaml", "apiVersion: v1\nkind: ../../../secret\nmetadata: {name: x}\n"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> assertThat(v.message())
                .isEqualTo("../../../secret x (v1): cannot be checked: kind '../../../secret' cannot name a schema"
                        + " file: a kind is letters, digits, '-' and '_'"));
    }

    /** The API server refuses a CRD in a group without a dot, so one cannot shadow apps/v1 Deployment. */
    @Test
    void aCrdForABuiltInGroupIsAnErrorAndDoesNotReplaceTheKindsSchema() {
        String lenientDeployments = new String(certManagerCrd(), StandardCharsets.UTF_8)
                .replace("group: cert-manager.io", "group: apps").replace("kind: Certificate\n", "kind: Deployment\n");
        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, lenientDeployments)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("\"two\"")));

        assertThat(violations(outcome)).extracting(Violation::file)
                .containsExactlyInAnyOrder(CERT_MANAGER_CRD, "apps/web/deploy.yaml");
        assertThat(violations(outcome)).filteredOn(v -> v.file().equals(CERT_MANAGER_CRD)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("spec.group 'apps' has no dot"));
        assertThat(violations(outcome)).filteredOn(v -> v.file().equals("apps/web/deploy.yaml")).singleElement()
                .satisfies(v -> assertThat(v.message()).endsWith("(schema schemas/k8s/v1.31.0-standalone/"
                        + "deployment-apps-v1.json)"));
    }

    @Test
    void aCrdThatCannotBeTranslatedIsReportedAtItsFileAndItsResourcesAreNotPassed() {
        String crd = new String(certManagerCrd(), StandardCharsets.UTF_8)
                .replace("      openAPIV3Schema:\n", "      openAPIV3Schema:\n        $ref: '#/definitions/x'\n");
        Outcome outcome = validate(repository(WITH_CRDS)
                .file(CERT_MANAGER_CRD, crd)
                .file("apps/web/cert.yaml", CERTIFICATE.formatted("[web.example.com]")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).extracting(Violation::file)
                .containsExactlyInAnyOrder(CERT_MANAGER_CRD, "apps/web/cert.yaml");
        assertThat(violations(outcome)).filteredOn(v -> v.file().equals("apps/web/cert.yaml")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("its CustomResourceDefinition " + CERT_MANAGER_CRD));
    }

    @Test
    void theJsonOutputCountsKinds() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2")));

        assertThat(new JsonRenderer().render(outcome.verdict()))
                .contains("\"kubernetes\"").contains("\"kind\" : \"apps/v1/Deployment\"").contains("\"checked\" : 1");
    }

    @Test
    void theServersSchemaLocationsAreTriedBeforeThePolicys() throws IOException {
        Path mirror = dir.resolve("mirror");
        Path schema = mirror.resolve("v1.31.0-standalone/deployment-apps-v1.json");
        Files.createDirectories(schema.getParent());
        Files.writeString(schema, """
                {"type": "object", "properties": {"spec": {"type": "object",
                  "properties": {"replicas": {"type": "integer", "maximum": 1}}}}}
                """);

        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2")), List.of(mirror.toString()));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.line()).isEqualTo(6);
            assertThat(v.message()).startsWith("Deployment web (apps/v1): spec.replicas:")
                    .endsWith("(schema " + schema + ")");
        });
    }

    @Test
    void aServerSchemaLocationMustBeAnAbsolutePath() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2")), List.of("schemas/k8s"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("--schema-location 'schemas/k8s' is not an absolute path");
    }

    @Test
    void aServerSchemaLocationThatIsAUrlIsRefused() {
        Outcome outcome = validate(repository(KUBECONFORM_DIRECTORY)
                .file("apps/web/deploy.yaml", DEPLOYMENT.formatted("2")), List.of("https://example.com/schemas"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("is a URL; stagegate never reads schemas over the network");
    }

    @Test
    void aTenMegabyteCrdIsRefusedBeforeItIsParsed() {
        String huge = "# padding\n".repeat(1_100_000);
        long started = System.nanoTime();

        Outcome outcome = validate(repository(WITH_CRDS).file("crds/huge.yaml", huge));

        assertThat(violations(outcome)).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("crds/huge.yaml");
            assertThat(v.message()).isEqualTo("is " + huge.length() + " bytes, more than the 3145728 bytes the API"
                    + " server accepts in a CustomResourceDefinition");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    /** The resident server keeps compiled schemas and translated CRDs by content: a changed file is never stale. */
    @Test
    void aProcessThatRemembersReadsChangedSchemasAndCrdsAfresh() {
        ProcessMemory.enable();
        try {
            String brokenCrd = new String(certManagerCrd(), StandardCharsets.UTF_8)
                    .replace("      openAPIV3Schema:\n", "      openAPIV3Schema:\n        $ref: '#/definitions/x'\n");
            Outcome before = validate(repository(WITH_CRDS)
                    .file(CERT_MANAGER_CRD, certManagerCrd())
                    .file(DEPLOYMENT_PATH, DEPLOYMENT.formatted("2"))
                    .file("apps/web/cert.yaml", CERTIFICATE.formatted("[web.example.com]")));
            Outcome after = validate(repo.commitOn("main").parents(repo.tip("main")).filesOf(repo.tip("main"))
                    .file(K8S + "v1.31.0-standalone/deployment-apps-v1.json", REPLICAS_AT_MOST_ONE)
                    .file(CERT_MANAGER_CRD, brokenCrd));

            assertThat(before.status()).as(render(before)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(violations(after)).extracting(Violation::file)
                    .containsExactlyInAnyOrder(CERT_MANAGER_CRD, "apps/web/cert.yaml", DEPLOYMENT_PATH);
        } finally {
            ProcessMemory.disable();
        }
    }

    private static final String DEPLOYMENT_PATH = "apps/web/deploy.yaml";
    private static final String REPLICAS_AT_MOST_ONE = """
            {"type": "object", "properties": {"spec": {"type": "object",
              "properties": {"replicas": {"type": "integer", "maximum": 1}}}}}
            """;
}
