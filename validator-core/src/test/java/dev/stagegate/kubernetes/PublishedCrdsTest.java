package dev.stagegate.kubernetes;

import static dev.stagegate.kubernetes.KubernetesFixtures.bytes;
import static dev.stagegate.kubernetes.KubernetesFixtures.compile;
import static dev.stagegate.kubernetes.KubernetesFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CrdSchemaTranslator} on CRDs as their projects publish them (src/test/resources/kubernetes/crds,
 * README there), with resources written as those projects document them.
 */
class PublishedCrdsTest {

    private static final String ARGO_CD = "argocd-v3.5.1-application-crd.yaml";
    private static final String CERT_MANAGER = "cert-manager-v1.21.1-cert-manager.io_certificates.yaml";
    private static final String FLUX = "kustomize-controller-v1.9.4-kustomize.toolkit.fluxcd.io_kustomizations.yaml";
    private static final String FLUX_THREE_VERSIONS =
            "kustomize-controller-v1.6.0-kustomize.toolkit.fluxcd.io_kustomizations.yaml";
    private static final String CROSSPLANE = "crossplane-v2.3.4-apiextensions.crossplane.io_compositions.yaml";
    private static final String VELERO = "velero-v1.18.1-velero.io_backups.yaml";

    private final CrdSchemaTranslator translator = new CrdSchemaTranslator();

    @ParameterizedTest
    @ValueSource(strings = {ARGO_CD, CERT_MANAGER, FLUX, FLUX_THREE_VERSIONS, CROSSPLANE, VELERO})
    void everyPublishedCrdTranslatesAndCompilesStrictOrNot(String file) throws Exception {
        for (boolean strict : new boolean[] {false, true}) {
            CrdTranslation translation = translator.translate(crd(file), strict);

            assertThat(translation.problems()).isEmpty();
            assertThat(translation.schemas()).isNotEmpty();
            for (CrdTranslation.VersionSchema schema : translation.schemas()) {
                assertThat(compile(schema.schema())).isNotNull();
                assertThat(schema.schema().toString()).doesNotContain("x-kubernetes-").doesNotContain("\"nullable\"");
            }
        }
    }

    @Test
    void eachServedVersionOfACrdGetsItsSchema() {
        assertThat(translator.translate(crd(FLUX_THREE_VERSIONS), true).schemas())
                .extracting(schema -> schema.gvk().toString())
                .containsExactly("kustomize.toolkit.fluxcd.io/v1/Kustomization",
                        "kustomize.toolkit.fluxcd.io/v1beta1/Kustomization",
                        "kustomize.toolkit.fluxcd.io/v1beta2/Kustomization");
    }

    @Test
    void argoCdsApplicationCrdIsFarBelowTheNodeLimit() {
        YamlDocument argoCd = crd(ARGO_CD);
        long start = System.nanoTime();
        assertThat(new CrdSchemaTranslator(CrdSchemaTranslator.DEFAULT_MAX_DEPTH, 1_839).translate(argoCd, true)
                .problems()).isEmpty();
        System.out.printf("Argo CD Application CRD (406 KB) translated in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(new CrdSchemaTranslator(CrdSchemaTranslator.DEFAULT_MAX_DEPTH, 1_838).translate(argoCd, true)
                .problems()).isNotEmpty();
    }

    private static final String ARGO_CD_APPLICATION = """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: guestbook
              namespace: argocd
              finalizers:
              - resources-finalizer.argocd.argoproj.io
            spec:
              project: default
              source:
                repoURL: https://github.com/argoproj/argocd-example-apps.git
                targetRevision: HEAD
                path: helm-guestbook
                helm:
                  releaseName: guestbook
                  valuesObject:
                    replicaCount: 2
                    ingress: {enabled: true, hosts: [guestbook.example.com]}
              destination:
                server: https://kubernetes.default.svc
                namespace: guestbook
              syncPolicy:
                automated:
                  prune: true
                  selfHeal: true
                syncOptions:
                - CreateNamespace=true
                retry:
                  limit: 5
                  backoff:
                    duration: 5s
                    factor: 2
                    maxDuration: 3m
            """;

    @Test
    void anArgoCdApplicationPassesAndABrokenOneFailsAtTheOffendingKey() throws Exception {
        CompiledSchema strict = schema(ARGO_CD, true);

        assertThat(problems(strict, ARGO_CD_APPLICATION)).isEmpty();
        assertThat(problems(schema(ARGO_CD, false), ARGO_CD_APPLICATION)).isEmpty();
        assertThat(problems(strict, ARGO_CD_APPLICATION.replace("prune: true", "prune: 'yes'")))
                .containsExactly("/spec/syncPolicy/automated/prune 24:7 spec.syncPolicy.automated.prune:"
                        + " expected boolean, found string");
        assertThat(problems(strict, ARGO_CD_APPLICATION.replace("  project: default\n", "")))
                .singleElement().asString().startsWith("/spec 8:1 ").contains("project");
        assertThat(problems(strict, ARGO_CD_APPLICATION.replace("targetRevision:", "targetRevison:")))
                .singleElement().asString().startsWith("/spec/source/targetRevison 12:5 ");
        assertThat(problems(schema(ARGO_CD, false), ARGO_CD_APPLICATION.replace("targetRevision:", "targetRevison:")))
                .isEmpty();
    }

    private static final String CERTIFICATE = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: example-com
              namespace: sandbox
            spec:
              secretName: example-com-tls
              duration: 2160h
              renewBefore: 360h
              subject:
                organizations:
                - jetstack
              privateKey:
                algorithm: RSA
                encoding: PKCS1
                size: 2048
              usages:
              - server auth
              - client auth
              dnsNames:
              - example.com
              - www.example.com
              issuerRef:
                name: ca-issuer
                kind: Issuer
                group: cert-manager.io
            """;

    @Test
    void aCertManagerCertificatePassesAndABrokenOneFailsAtTheOffendingKey() throws Exception {
        CompiledSchema schema = schema(CERT_MANAGER, true);

        assertThat(problems(schema, CERTIFICATE)).isEmpty();
        assertThat(problems(schema, CERTIFICATE.replace("algorithm: RSA", "algorithm: DSA")))
                .singleElement().asString().startsWith("/spec/privateKey/algorithm 14:5 ");
        assertThat(problems(schema, CERTIFICATE.substring(0, CERTIFICATE.indexOf("  issuerRef:"))))
                .singleElement().asString().startsWith("/spec 6:1 ").contains("issuerRef");
        assertThat(problems(schema, CERTIFICATE.replace("size: 2048", "size: big")))
                .singleElement().asString().startsWith("/spec/privateKey/size 16:5 ");
    }

    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: podinfo
              namespace: flux-system
            spec:
              interval: 10m
              targetNamespace: default
              sourceRef:
                kind: GitRepository
                name: podinfo
              path: ./kustomize
              prune: true
              timeout: 1m
            """;

    @Test
    void aFluxKustomizationPassesAndABrokenOneFailsAtTheOffendingKey() throws Exception {
        CompiledSchema schema = schema(FLUX, true);

        assertThat(problems(schema, KUSTOMIZATION)).isEmpty();
        assertThat(problems(schema, KUSTOMIZATION.replace("interval: 10m", "interval: 10 minutes")))
                .singleElement().asString().startsWith("/spec/interval 7:3 ");
        assertThat(problems(schema, KUSTOMIZATION.replace("prune: true", "prune: 'true'")))
                .singleElement().asString().startsWith("/spec/prune 13:3 ");
        assertThat(problems(schema, KUSTOMIZATION.replace("kind: GitRepository", "kind: HelmChart")))
                .singleElement().asString().startsWith("/spec/sourceRef/kind 10:5 ");
    }

    @Test
    void aVeleroBackupMayLeaveItsNullableFieldsNull() throws Exception {
        CompiledSchema schema = schema(VELERO, true);
        String backup = """
                apiVersion: velero.io/v1
                kind: Backup
                metadata:
                  name: nightly
                  namespace: velero
                spec:
                  includedNamespaces: ['*']
                  includeClusterResources: null
                  labelSelector: null
                  snapshotVolumes: null
                  ttl: 720h0m0s
                """;

        assertThat(problems(schema, backup)).isEmpty();
        assertThat(problems(schema, backup.replace("ttl: 720h0m0s", "ttl: null")))
                .singleElement().asString().startsWith("/spec/ttl 11:3 ");
        assertThat(problems(schema, backup.replace("snapshotVolumes: null", "snapshotVolumes: sometimes")))
                .singleElement().asString().startsWith("/spec/snapshotVolumes 10:3 ");
    }

    @Test
    void aCrossplaneCompositionsFunctionInputIsAnEmbeddedResource() throws Exception {
        CompiledSchema schema = schema(CROSSPLANE, true);
        String composition = """
                apiVersion: apiextensions.crossplane.io/v1
                kind: Composition
                metadata:
                  name: xpostgresqlinstances.example.org
                spec:
                  compositeTypeRef:
                    apiVersion: example.org/v1alpha1
                    kind: XPostgreSQLInstance
                  mode: Pipeline
                  pipeline:
                  - step: patch-and-transform
                    functionRef:
                      name: function-patch-and-transform
                    input:
                      apiVersion: pt.fn.crossplane.io/v1beta1
                      kind: Resources
                      resources: []
                """;

        assertThat(problems(schema, composition)).isEmpty();
        assertThat(problems(schema, composition.replace("      kind: Resources\n", "")))
                .containsExactly("/spec/pipeline/0/input 14:5 spec.pipeline[0].input: required property 'kind' is missing");
    }

    private CompiledSchema schema(String file, boolean strict) throws Exception {
        List<CrdTranslation.VersionSchema> schemas = translator.translate(crd(file), strict).schemas();
        assertThat(schemas).hasSize(1);
        return compile(schemas.get(0).schema());
    }

    private static YamlDocument crd(String file) {
        try {
            List<YamlDocument> documents = new LocatedYamlReader(CrdSchemaTranslator.READ_LIMITS)
                    .read(bytes("crds/" + file), file);
            return documents.stream().filter(CrdSchemaTranslator::isCrd).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }
}
