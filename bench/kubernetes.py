#!/usr/bin/env python3
"""Kubernetes manifests checked by kind (issue 14, "Speed"; bench/README.md).

Writes 10,000 manifest files (about 50,000 resources: Deployments, Services, ConfigMaps,
Ingresses, HPAs, ... and two CRD kinds, Argo CD Application and cert-manager Certificate),
written as people write manifests, all valid under kubeconform's strict v1.31.0 schemas, and
times whole `./stagegate validate` processes (bench.compare: alternating, medians, ratios):

  kubernetes-strict    the 10,000 files by kind in strict mode; its counterpart is kubeconform
                       when it is installed (--kubeconform), otherwise the same run not strict
                       (kubeconform's published run was not strict). Gives resources per
                       CPU-second and per core-second of wall time, against kubeconform's
                       published 50,714 resources in 6.710 s real / 38.7 s user on 4 cores.
  kubernetes-dispatch  the same resources, one kind per file, checked by kind against the same
                       documents checked through a plain `schemas:` mapping of each kind's file
                       glob to that kind's schema file (CRD kinds: the schema stagegate makes of
                       the CRD, written by CrdSchemas.java): the work differs only in dispatch.

Before timing it checks that stagegate accepts every directory, counts every resource checked
(none skipped), and rejects one corrupted resource at its line. Needs no network: the schemas are
bench/fixtures/k8s-schemas-v1.31.0.tar.gz, the CRDs validator-core's test resources.

    python3 bench/kubernetes.py --jar cli/target-bench/stagegate.jar [--runs 15] [--warmup 3] [--files 500]

Prints the section for RESULTS.md and writes bench/cache/kubernetes-latest.json.
"""

import argparse
import datetime
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402

SCHEMAS = os.path.join(HERE, "fixtures", "k8s-schemas-v1.31.0.tar.gz")
CRD_DIRECTORY = os.path.join(bench.ROOT, "validator-core", "src", "test", "resources", "kubernetes", "crds")
CRDS = {"argocd-application.yaml": "argocd-v3.5.1-application-crd.yaml",
        "cert-manager-certificate.yaml": "cert-manager-v1.21.1-cert-manager.io_certificates.yaml"}
TRANSLATOR = os.path.join(HERE, "CrdSchemas.java")
VERSION = "1.31.0"
K8S_LOCATION = "schemas/k8s/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/" \
               "{{ .ResourceKind }}{{ .KindSuffix }}.json"
# where the CRD kinds' schemas are for the `schemas:` mapping and for kubeconform (its CRDs
# catalog layout)
CRD_SCHEMAS = "schemas/crds"
CRD_LOCATION = CRD_SCHEMAS + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

# kubeconform README, "Speed comparison with Kubeval" (research/k8s/NOTES.md §7): not strict,
# -n 8 on "a laptop with 4 cores" (user time 5.8x real: SMT), 23,380 of the resources skipped
# for want of a schema
KUBECONFORM = {"resources": 50_714, "validated": 27_334, "skipped": 23_380, "files": 35_139,
               "real_s": 6.710, "user_s": 38.701, "sys_s": 1.161, "cores": 4, "workers": 8}
KUBECONFORM["per_core_s"] = KUBECONFORM["resources"] / (KUBECONFORM["real_s"] * KUBECONFORM["cores"])
KUBECONFORM["per_cpu_s"] = KUBECONFORM["resources"] / (KUBECONFORM["user_s"] + KUBECONFORM["sys_s"])
DISPATCH_LIMIT = 1.3


def kubernetes_policy(strict):
    return bench.POLICY_HEAD + """kubernetes:
  manifests: ["apps/**/*.yaml"]
  strict: %s
  version: "%s"
  schemaLocations: ["%s"]
  crds: ["crds/**/*.yaml"]
""" % ("true" if strict else "false", VERSION, K8S_LOCATION.replace('"', '\\"'))


# ---------------------------------------------------------------- the manifests

TEAMS = 100


def names(n):
    team = "team-%02d" % (n % TEAMS)
    app = ["checkout", "search", "billing", "catalog", "profile", "notify", "gateway", "orders", "ledger",
           "media"][n % 10] + "-%05d" % n
    return team, app


def labels(app, team, flow, indent):
    if flow:
        return "%slabels: {app.kubernetes.io/name: %s, app.kubernetes.io/part-of: %s}\n" % (indent, app, team)
    return ("%slabels:\n%s  app.kubernetes.io/name: %s\n%s  app.kubernetes.io/part-of: %s\n"
            "%s  app.kubernetes.io/managed-by: argocd\n") % (indent, indent, app, indent, team, indent)


def metadata(name, team, app, rng, annotations=None, indent=""):
    out = "%smetadata:\n%s  name: %s\n%s  namespace: %s\n" % (indent, indent, name, indent, team)
    out += labels(app, team, rng.random() < 0.3, indent + "  ")
    if annotations:
        out += "%s  annotations:\n" % indent + "".join("%s    %s: %s\n" % (indent, k, v) for k, v in annotations)
    return out


def container(app, team, rng, n, port=8080, job=False):
    version = '"%d.%d.%d"' % (1 + n % 4, n % 17, n % 31)
    out = ["        - name: %s\n" % ("app" if not job else "job"),
           '          image: "registry.example.com/%s/%s:%s"\n' % (team, app, version.strip('"')),
           "          imagePullPolicy: IfNotPresent\n"]
    if job:
        out.append('          command: ["/bin/sh", "-c", "exec /app/bin/%s --once"]\n' % app.split("-")[0])
    else:
        out.append('          args: ["--port=%d", "--log-level=%s"]  # flags, not config\n'
                   % (port, rng.choice(["info", "debug", "warn"])))
        if rng.random() < 0.5:
            out.append("          ports:\n            - name: http\n              containerPort: %d\n"
                       "              protocol: TCP\n            - {name: metrics, containerPort: 9090}\n" % port)
        else:
            out.append("          ports: [{name: http, containerPort: %d}, {name: metrics, containerPort: 9090}]\n"
                       % port)
    out.append("          env:\n            - name: LOG_FORMAT\n              value: json\n"
               '            - name: FEATURE_X_ENABLED\n              value: "%s"\n'
               "            - name: DB_PASSWORD\n              valueFrom:\n"
               "                secretKeyRef: {name: %s-db, key: password}\n"
               "            - name: POD_NAME\n              valueFrom: {fieldRef: {fieldPath: metadata.name}}\n"
               % (rng.choice(["true", "false"]), app))
    if rng.random() < 0.5:
        out.append("          envFrom:\n            - configMapRef: {name: %s-config}\n" % app)
    if rng.random() < 0.5:
        out.append("          resources:\n            requests: {cpu: %dm, memory: %dMi}\n"
                   "            limits: {cpu: \"%d\", memory: %dMi}\n"
                   % (rng.choice([50, 100, 250]), rng.choice([128, 256]), rng.choice([1, 2]), rng.choice([512, 1024])))
    else:
        out.append("          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n"
                   "            limits:\n              memory: 512Mi  # no CPU limit: throttling hurts more\n")
    if not job:
        out.append("          readinessProbe:\n            httpGet: {path: /ready, port: http}\n"
                   "            initialDelaySeconds: 5\n            periodSeconds: 10\n"
                   "          livenessProbe:\n            httpGet:\n              path: /healthz\n"
                   "              port: %d\n            failureThreshold: 3\n            timeoutSeconds: 2\n" % port)
    out.append("          securityContext:\n            allowPrivilegeEscalation: false\n"
               "            readOnlyRootFilesystem: true\n            capabilities: {drop: [ALL]}\n"
               "          volumeMounts:\n            - name: config\n              mountPath: /etc/%s\n"
               "              readOnly: true\n            - {name: tmp, mountPath: /tmp}\n" % app.split("-")[0])
    return "".join(out)


def pod_spec(app, team, rng, n, indent, job=False, extra=""):
    """A pod template's spec, written at indent 6 and re-indented."""
    text = ("      serviceAccountName: %s\n"
            "      securityContext: {runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001}\n" % app)
    if job:
        text += "      restartPolicy: %s\n" % rng.choice(["OnFailure", "Never"])
    else:
        text += "      terminationGracePeriodSeconds: 30\n"
    text += extra
    text += "      containers:\n" + container(app, team, rng, n, job=job)
    text += ("      volumes:\n        - name: config\n          configMap:\n            name: %s-config\n"
             "        - name: tmp\n          emptyDir: {}\n" % app)
    return reindent(text, indent - 6)


def reindent(text, by):
    if by == 0:
        return text
    pad = " " * by
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def template(app, team, rng, n, indent=2, job=False, extra=""):
    pad = " " * indent
    return ("%stemplate:\n%s  metadata:\n%s    labels:\n%s      app.kubernetes.io/name: %s\n"
            "%s    annotations:\n%s      prometheus.io/scrape: \"true\"\n%s      prometheus.io/port: \"9090\"\n"
            "%s  spec:\n" % (pad, pad, pad, pad, app, pad, pad, pad, pad)) + pod_spec(app, team, rng, n,
                                                                                         indent + 4, job, extra)


def selector(app, indent="  "):
    return "%sselector:\n%s  matchLabels:\n%s    app.kubernetes.io/name: %s\n" % (indent, indent, indent, app)


def deployment(n, team, app, rng):
    return ("# %s: the web tier of %s\napiVersion: apps/v1\nkind: Deployment\n" % (app, team)
            + metadata(app, team, app, rng, [("reloader.stakater.com/auto", '"true"')])
            + "spec:\n  replicas: %d\n  revisionHistoryLimit: 5\n" % rng.choice([2, 3, 4, 6])
            + selector(app)
            + "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}\n"
            + template(app, team, rng, n))


def statefulset(n, team, app, rng):
    return ("apiVersion: apps/v1\nkind: StatefulSet\n" + metadata(app, team, app, rng)
            + "spec:\n  serviceName: %s-headless\n  replicas: 3\n  podManagementPolicy: Parallel\n" % app
            + selector(app) + template(app, team, rng, n)
            + "  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n"
              "        accessModes: [ReadWriteOnce]\n        storageClassName: gp3\n"
              "        resources:\n          requests: {storage: %dGi}\n" % rng.choice([10, 20, 50]))


def daemonset(n, team, app, rng):
    extra = ("      nodeSelector:\n        kubernetes.io/os: linux\n"
             "      tolerations:\n        - {key: node-role.kubernetes.io/control-plane, operator: Exists, "
             "effect: NoSchedule}\n")
    return ("apiVersion: apps/v1\nkind: DaemonSet\n" + metadata(app + "-agent", team, app, rng)
            + "spec:\n" + selector(app)
            + "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n"
            + template(app, team, rng, n, extra=extra))


def service(n, team, app, rng, headless=False):
    out = "apiVersion: v1\nkind: Service\n" + metadata(app + ("-headless" if headless else ""), team, app, rng)
    out += "spec:\n"
    out += "  clusterIP: None\n" if headless else "  type: ClusterIP\n"
    out += "  selector:\n    app.kubernetes.io/name: %s\n" % app
    if rng.random() < 0.5:
        out += "  ports:\n    - name: http\n      port: 80\n      targetPort: http  # the container's named port\n" \
               "      protocol: TCP\n    - name: metrics\n      port: 9090\n      targetPort: 9090\n"
    else:
        out += "  ports: [{name: http, port: 80, targetPort: 8080}]\n"
    return out


def configmap(n, team, app, rng):
    return ("apiVersion: v1\nkind: ConfigMap\n" + metadata(app + "-config", team, app, rng)
            + "data:\n  LOG_LEVEL: %s\n  FEATURE_FLAGS: \"checkout,search\"\n  TIMEOUT: \"30s\"\n"
              "  GREETING: 'Grüße aus %s'\n"
              "  config.yaml: |\n    server:\n      port: 8080\n      # seconds\n      shutdownGrace: 20\n"
              "    cache: {ttl: 30s, size: %d}\n" % (rng.choice(["info", "debug"]), team, rng.choice([100, 1000])))


def secret(n, team, app, rng):
    out = "apiVersion: v1\nkind: Secret\n" + metadata(app + "-db", team, app, rng) + "type: Opaque\n"
    if rng.random() < 0.5:
        return out + "stringData:\n  username: %s\n  password: \"s3cr3t-%05d\"\n" % (app.split("-")[0], n)
    return out + "data:\n  username: YXBw\n  password: czNjcjN0LTAwMDAx  # sealed in production\n"


def serviceaccount(n, team, app, rng):
    return ("apiVersion: v1\nkind: ServiceAccount\n"
            + metadata(app, team, app, rng, [("eks.amazonaws.com/role-arn",
                                               '"arn:aws:iam::123456789012:role/%s"' % app)])
            + "automountServiceAccountToken: false\n")


def ingress(n, team, app, rng):
    host = "%s.%s.example.com" % (app, team)
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
            + metadata(app, team, app, rng, [("cert-manager.io/cluster-issuer", "letsencrypt-prod"),
                                            ("nginx.ingress.kubernetes.io/proxy-body-size", '"8m"')])
            + "spec:\n  ingressClassName: nginx\n  tls:\n    - hosts: [%s]\n      secretName: %s-tls\n"
              "  rules:\n    - host: %s\n      http:\n        paths:\n          - path: /\n"
              "            pathType: Prefix\n            backend:\n              service:\n"
              "                name: %s\n                port: {name: http}\n" % (host, app, host, app))


def hpa(n, team, app, rng):
    return ("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n" + metadata(app, team, app, rng)
            + "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}\n"
              "  minReplicas: 2\n  maxReplicas: %d\n  metrics:\n    - type: Resource\n      resource:\n"
              "        name: cpu\n        target: {type: Utilization, averageUtilization: %d}\n"
              "  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 300\n"
              "      policies: [{type: Percent, value: 50, periodSeconds: 60}]\n"
              % (app, rng.choice([10, 20, 40]), rng.choice([60, 70, 80])))


def pdb(n, team, app, rng):
    budget = "minAvailable: 1" if rng.random() < 0.5 else "maxUnavailable: 25%"
    return ("apiVersion: policy/v1\nkind: PodDisruptionBudget\n" + metadata(app, team, app, rng)
            + "spec:\n  %s\n" % budget + selector(app))


def networkpolicy(n, team, app, rng):
    return ("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + metadata(app, team, app, rng)
            + "spec:\n  podSelector:\n    matchLabels: {app.kubernetes.io/name: %s}\n"
              "  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - namespaceSelector:\n"
              "            matchLabels:\n              kubernetes.io/metadata.name: ingress-nginx\n"
              "      ports:\n        - {protocol: TCP, port: 8080}\n  egress:\n    - to:\n"
              "        - ipBlock: {cidr: 10.0.0.0/8}\n      ports: [{protocol: TCP, port: 5432}]\n" % app)


def role(n, team, app, rng):
    return ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n" + metadata(app, team, app, rng)
            + "rules:\n  - apiGroups: [\"\"]\n    resources: [configmaps, secrets]\n    verbs: [get, list, watch]\n"
              "  - apiGroups: [coordination.k8s.io]\n    resources: [leases]\n"
              "    verbs: [get, create, update]  # leader election\n")


def rolebinding(n, team, app, rng):
    return ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n" + metadata(app, team, app, rng)
            + "subjects:\n  - kind: ServiceAccount\n    name: %s\n    namespace: %s\n"
              "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %s}\n" % (app, team, app))


def cronjob(n, team, app, rng):
    spec = template(app, team, rng, n, indent=6, job=True)
    return ("apiVersion: batch/v1\nkind: CronJob\n" + metadata(app + "-nightly", team, app, rng)
            + "spec:\n  schedule: \"%d */%d * * *\"\n  timeZone: Etc/UTC\n  concurrencyPolicy: Forbid\n"
              "  successfulJobsHistoryLimit: 3\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n"
              % (n % 60, rng.choice([1, 2, 6])) + spec)


def job(n, team, app, rng):
    return ("apiVersion: batch/v1\nkind: Job\n" + metadata(app + "-migrate", team, app, rng,
                                                         [("argocd.argoproj.io/hook", "PreSync")])
            + "spec:\n  backoffLimit: 1\n  ttlSecondsAfterFinished: 3600\n"
            + template(app, team, rng, n, job=True))


def application(n, team, app, rng):
    sync = ("  syncPolicy:\n    automated: {prune: true, selfHeal: true}\n"
            "    syncOptions: [CreateNamespace=true, ServerSideApply=true]\n")
    return ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: %s\n  namespace: argocd\n"
            "  finalizers: [resources-finalizer.argocd.argoproj.io]\n" % app
            + labels(app, team, False, "  ")
            + "spec:\n  project: %s\n  source:\n    repoURL: https://git.example.com/platform/gitops.git\n"
              "    targetRevision: main\n    path: apps/%s/%s\n    helm:\n      valueFiles: [values.yaml]\n"
              "  destination:\n    server: https://kubernetes.default.svc\n    namespace: %s\n" % (team, team, app, team)
            + sync
            + "  revisionHistoryLimit: 10\n  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n"
              "      jsonPointers: [/spec/replicas]  # the HPA owns it\n")


def certificate(n, team, app, rng):
    host = "%s.%s.example.com" % (app, team)
    return ("apiVersion: cert-manager.io/v1\nkind: Certificate\n" + metadata(app + "-tls", team, app, rng)
            + "spec:\n  secretName: %s-tls\n  duration: 2160h  # 90 days\n  renewBefore: 360h\n"
              "  dnsNames:\n    - %s\n    - \"www.%s\"\n"
              "  issuerRef: {name: letsencrypt-prod, kind: ClusterIssuer, group: cert-manager.io}\n"
              "  privateKey:\n    algorithm: ECDSA\n    size: 256\n    rotationPolicy: Always\n"
              "  usages: [server auth, digital signature]\n" % (app, host, host))


KINDS = {
    # kind: (writer, schema file name in kubeconform's layout, or the CRD's group/version)
    "Deployment": (deployment, "deployment-apps-v1"),
    "StatefulSet": (statefulset, "statefulset-apps-v1"),
    "DaemonSet": (daemonset, "daemonset-apps-v1"),
    "Service": (service, "service-v1"),
    "ConfigMap": (configmap, "configmap-v1"),
    "Secret": (secret, "secret-v1"),
    "ServiceAccount": (serviceaccount, "serviceaccount-v1"),
    "Ingress": (ingress, "ingress-networking-v1"),
    "HorizontalPodAutoscaler": (hpa, "horizontalpodautoscaler-autoscaling-v2"),
    "CronJob": (cronjob, "cronjob-batch-v1"),
    "Job": (job, "job-batch-v1"),
    "PodDisruptionBudget": (pdb, "poddisruptionbudget-policy-v1"),
    "NetworkPolicy": (networkpolicy, "networkpolicy-networking-v1"),
    "Role": (role, "role-rbac-v1"),
    "RoleBinding": (rolebinding, "rolebinding-rbac-v1"),
    "Application": (application, "crd"),
    "Certificate": (certificate, "crd"),
}
EXTRAS = ["Ingress", "PodDisruptionBudget", "ServiceAccount", "NetworkPolicy", "Secret"]
# what one file (one application's manifests) holds, by the file number modulo 50
BUNDLES = [(25, lambda n: ["Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", EXTRAS[n // 50 % 5]]),
           (5, lambda n: ["StatefulSet", "Service-headless", "Secret", "PodDisruptionBudget", "ConfigMap"]),
           (4, lambda n: ["DaemonSet", "ServiceAccount", "Role", "RoleBinding", "ConfigMap"]),
           (6, lambda n: ["CronJob", "Job", "ConfigMap", "ServiceAccount", "Secret"]),
           (10, lambda n: ["Application", "Certificate", "Ingress", "NetworkPolicy", "RoleBinding"])]


def resources(n):
    """The resources of application n: [(kind, YAML text of one document)]."""
    team, app = names(n)
    rng = random.Random(n)
    slot = n % 50
    for weight, kinds in BUNDLES:
        if slot < weight:
            break
        slot -= weight
    out = []
    for kind in kinds(n):
        if kind == "Service-headless":
            out.append(("Service", service(n, team, app, rng, headless=True)))
        else:
            out.append((kind, KINDS[kind][0](n, team, app, rng)))
    return out


def manifest_file(documents, rng):
    """Documents as one multi-document file, as people write them: sometimes a leading `---`,
    sometimes an empty document left behind."""
    text = "---\n" if rng.random() < 0.3 else ""
    for i, document in enumerate(documents):
        if i:
            text += "---\n"
            if rng.random() < 0.03:
                text += "# (removed: the old ingress)\n---\n"
        text += document
    return text


# ---------------------------------------------------------------- directories


def fixture_hash():
    digest = hashlib.sha256()
    for path in [os.path.abspath(__file__), SCHEMAS] + [os.path.join(CRD_DIRECTORY, f) for f in CRDS.values()]:
        with open(path, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:12]


def translate_crds(java, jar, directory):
    """The CRD kinds' schemas as stagegate makes them, strict and lax, in the CRDs catalog layout
    (group/kind_version.json): for the `schemas:` mapping and for kubeconform."""
    made = {}
    for strictness in ("strict", "lax"):
        out = os.path.join(directory, "translated-" + strictness)
        for crd in CRDS:
            result = subprocess.run([java, "-cp", jar, TRANSLATOR, os.path.join(directory, "crds", crd), out,
                                     strictness], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if result.returncode != 0:
                sys.exit("kubernetes.py: CrdSchemas.java failed: " + result.stderr)
            for line in result.stdout.splitlines():
                group, version, kind, path = line.split(" ", 3)
                target = os.path.join(directory, CRD_SCHEMAS + ("" if strictness == "strict" else "-lax"), group,
                                      "%s_%s.json" % (kind.lower(), version))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.move(path, target)
                made.setdefault(kind, {})[strictness] = os.path.relpath(target, directory)
        shutil.rmtree(out)
    return made


def common_files(directory, java, jar):
    os.makedirs(os.path.join(directory, ".stagegate"))
    os.makedirs(os.path.join(directory, "schemas", "k8s"))
    with tarfile.open(SCHEMAS) as archive:
        # the archive is the repository's own; the "data" filter (where Python has it) refuses links
        # and paths outside the target all the same
        extract = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(os.path.join(directory, "schemas", "k8s"), **extract)
    os.makedirs(os.path.join(directory, "crds"))
    for name, source in CRDS.items():
        shutil.copy(os.path.join(CRD_DIRECTORY, source), os.path.join(directory, "crds", name))
    return translate_crds(java, jar, directory)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def generate(files, java, jar):
    """Two directories of the same resources: `by-app` (one file per application, ~5 kinds in it) and
    `by-kind` (each kind's resources five to a file). Cached in bench/cache/ by file count and a
    hash of this script and its fixtures."""
    root = os.path.join(bench.CACHE, "kubernetes-%d-%s" % (files, fixture_hash()))
    marker = os.path.join(root, ".complete")
    if os.path.isfile(marker):
        with open(marker) as meta:
            return root, json.load(meta)
    for stale in [p for p in os.listdir(bench.CACHE) if p.startswith("kubernetes-%d-" % files)]:
        shutil.rmtree(os.path.join(bench.CACHE, stale))
    bench.log("kubernetes: writing %d manifest files, twice ..." % files)
    by_app, by_kind = os.path.join(root, "by-app"), os.path.join(root, "by-kind")
    crd_schemas = common_files(by_app, java, jar)
    common_files(by_kind, java, jar)
    per_kind = {}
    counts = {}
    for n in range(files):
        team, app = names(n)
        documents = resources(n)
        write(os.path.join(by_app, "apps", team, app, "manifests.yaml"),
              manifest_file([text for _, text in documents], random.Random(-n)))
        for kind, text in documents:
            per_kind.setdefault(kind, []).append(text)
            counts[kind] = counts.get(kind, 0) + 1
    kind_files = 0
    for kind, texts in per_kind.items():
        for i in range(0, len(texts), 5):
            write(os.path.join(by_kind, "apps", kind.lower(), "%s-%05d.yaml" % (kind.lower(), i // 5)),
                  manifest_file(texts[i:i + 5], random.Random(i)))
            kind_files += 1
    for directory in (by_app, by_kind):
        write(os.path.join(directory, ".stagegate", "policy.yaml"), kubernetes_policy(True))
        write(os.path.join(directory, "policy-lax.yaml"), kubernetes_policy(False))
    # the plain mapping: each kind's file glob to that kind's schema file, nothing by kind
    mapping = "schemas:\n"
    for kind in sorted(per_kind):
        schema = crd_schemas[kind]["strict"] if KINDS[kind][1] == "crd" else \
            "schemas/k8s/v%s-standalone-strict/%s.json" % (VERSION, KINDS[kind][1])
        mapping += "  - files: \"apps/%s/*.yaml\"\n    schema: %s\n" % (kind.lower(), schema)
    write(os.path.join(by_kind, "policy-schemas.yaml"), bench.POLICY_HEAD + mapping)
    meta = {"files": files, "resources": sum(counts.values()), "kinds": counts, "by_kind_files": kind_files,
            "bytes": sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(by_app, "apps"))
                         for f in fs)}
    with open(marker, "w") as out:
        json.dump(meta, out)
    return root, meta


# ---------------------------------------------------------------- checks before timing


def stagegate(env, directory, *args):
    return subprocess.run([bench.LAUNCHER, "validate", "--repo", directory] + list(args), cwd=directory, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def checked_counts(env, directory, policy=None):
    """validate's JSON output: exit status and the kubernetes counts (checked per kind)."""
    args = ["--format", "json"] + (["--policy", policy] if policy else [])
    result = stagegate(env, directory, *args)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        sys.exit("kubernetes.py: validate %s did not print JSON (exit %d):\n%s%s" % (
            directory, result.returncode, result.stdout[-2000:], result.stderr[-2000:]))
    return result.returncode, report


def corrupted(env, directory, file, policy=None):
    """Writes an unknown field (`replica: 3`, an error only in strict mode) into the first Deployment's
    spec in `file`, runs validate, restores the file. Returns (status, expected line, output)."""
    path = os.path.join(directory, file)
    original = open(path, encoding="utf-8").read()
    lines = original.splitlines(True)
    kind_at = next(i for i, line in enumerate(lines) if line.startswith("kind: Deployment"))
    spec_at = next(i for i in range(kind_at, len(lines)) if lines[i].startswith("spec:"))
    lines.insert(spec_at + 1, "  replica: 3\n")
    try:
        write(path, "".join(lines))
        result = stagegate(env, directory, *(["--policy", policy] if policy else []))
    finally:
        write(path, original)
    return result.returncode, spec_at + 2, (result.stdout + result.stderr).strip()


def verify(env, root, meta):
    """stagegate accepts every directory under every policy, checks every resource, and rejects a
    corrupted Deployment at its line: else the timings would not measure real checking."""
    checks = {}
    by_app, by_kind = os.path.join(root, "by-app"), os.path.join(root, "by-kind")
    for name, directory, policy in (("by-app strict", by_app, None), ("by-app lax", by_app, "policy-lax.yaml"),
                                    ("by-kind strict", by_kind, None),
                                    ("by-kind schemas", by_kind, "policy-schemas.yaml")):
        status, report = checked_counts(env, directory, policy)
        kubernetes = report.get("kubernetes") or {}
        checked = sum(kind.get("checked", 0) for kind in kubernetes.get("kinds", []))
        skipped = sum(kind.get("skipped", 0) + kind.get("missingSchema", 0) for kind in kubernetes.get("kinds", []))
        checks[name] = {"status": status, "checked": checked, "skipped": skipped,
                        "empty_documents": kubernetes.get("emptyDocuments"),
                        "kinds": {kind.get("kind"): kind.get("checked") for kind in kubernetes.get("kinds", [])}}
        bench.log("  %s: exit %d, %d resources checked by kind, %d skipped" % (name, status, checked, skipped))
        if status != 0:
            sys.exit("kubernetes.py: validate rejected the generated manifests (%s; a run stopped while a file was "
                     "corrupted leaves it so: delete %s to write them again):\n%s" % (
                         name, root, json.dumps(report, indent=1)[:4000]))
        if "schemas" in name:
            matched = sum(mapping.get("matchedFiles", 0) for mapping in report.get("mappings", []))
            checks[name]["matched_files"] = matched
            bench.log("    the mapping matched %d files of %d" % (matched, meta["by_kind_files"]))
            if matched != meta["by_kind_files"]:
                sys.exit("kubernetes.py: the schemas mapping matched %d files of %d" % (matched, meta["by_kind_files"]))
        elif checked != meta["resources"] or skipped:
            sys.exit("kubernetes.py: %s: %d resources checked and %d skipped, of %d written" % (
                name, checked, skipped, meta["resources"]))
    first_deployment = next(n for n in range(meta["files"]) if resources(n)[0][0] == "Deployment")
    team, app = names(first_deployment)
    for name, directory, file, policy in (
            ("by-app strict", by_app, os.path.join("apps", team, app, "manifests.yaml"), None),
            ("by-kind strict", by_kind, os.path.join("apps", "deployment", "deployment-00000.yaml"), None),
            ("by-kind schemas", by_kind, os.path.join("apps", "deployment", "deployment-00000.yaml"),
             "policy-schemas.yaml")):
        status, line, output = corrupted(env, directory, file, policy)
        located = "%s:%d:" % (file, line) in output
        checks[name]["corrupted"] = {"file": file, "line": line, "status": status, "located": located,
                                     "output": output[:600]}
        bench.log("  %s, `replica: 3` at %s:%d: exit %d, %s\n%s" % (
            name, file, line, status, "reported at its line" if located else "NOT reported at its line",
            bench.indent(output[:600])))
        if status != 1 or not located:
            sys.exit("kubernetes.py: the corrupted resource was not rejected at its line (%s)" % name)
    return checks


# ---------------------------------------------------------------- timing


def cores():
    return len(os.sched_getaffinity(0))


def throughput(entry, label, resources_count):
    side = entry[label]
    wall, cpu = side["median_ms"] / 1000, side["cpu_median_ms"] / 1000
    return {"per_cpu_s": round(resources_count / cpu), "per_core_s": round(resources_count / (wall * cores())),
            "per_s": round(resources_count / wall)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--idle-wait", type=int, default=300)
    parser.add_argument("--kubeconform", default=shutil.which("kubeconform"),
                        help="a kubeconform binary to time side by side (default: the one on PATH, if any)")
    args = parser.parse_args()
    bench.IDLE_WAIT[0] = args.idle_wait
    java = shutil.which("java")
    jar = os.path.abspath(args.jar)
    os.makedirs(bench.CACHE, exist_ok=True)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": bench.machine(), "cores": cores(), "runs": args.runs, "warmup": args.warmup,
               "kubeconform_published": KUBECONFORM, "notes": []}
    bench.log("machine: %(cpu)s, %(cores)s cores, %(ram_gib)s GiB, %(os)s; %(jdk)s" % results["machine"])
    root, meta = generate(args.files, java, jar)
    results["fixture"] = meta
    bench.log("kubernetes: %d files, %d resources (%s), %.1f MB; by kind: %d files" % (
        meta["files"], meta["resources"], ", ".join("%s %d" % item for item in sorted(meta["kinds"].items())),
        meta["bytes"] / 1e6, meta["by_kind_files"]))
    env = bench.launcher_environment(jar, java)
    scratch = tempfile.mkdtemp(prefix="kubernetes-", dir=bench.CACHE)
    try:
        bench.prepare_launcher(env, scratch)
        results["checks"] = verify(env, root, meta)
        by_app, by_kind = os.path.join(root, "by-app"), os.path.join(root, "by-kind")

        def side(label, directory, policy=None):
            return {"label": label, "command": [bench.LAUNCHER, "validate", "--repo", directory]
                    + (["--policy", policy] if policy else []), "cwd": directory, "env": env, "expect": 0}
        if args.kubeconform:
            # kubeconform reads the same schema directory and the CRD kinds' schemas as stagegate makes
            # them (kubeconform cannot read a CRD); as many workers as cores
            counterpart = {"label": "kubeconform", "cwd": by_app, "env": dict(os.environ), "expect": 0,
                           "command": [args.kubeconform, "-strict", "-summary", "-kubernetes-version", VERSION,
                                       "-n", str(cores()), "-schema-location", K8S_LOCATION,
                                       "-schema-location", CRD_LOCATION, "apps"]}
        else:
            results["notes"].append("kubeconform is not installed here (no network to fetch it): the strict run is "
                                    "timed against the same run not strict and judged against kubeconform's "
                                    "published figures")
            bench.log("  NOTE: " + results["notes"][-1])
            counterpart = side("not strict", by_app, "policy-lax.yaml")
        strict = bench.compare("kubernetes-strict", side("stagegate strict", by_app), counterpart, args.warmup,
                               args.runs, scratch)
        strict["throughput"] = {label: throughput(strict, label, meta["resources"])
                                for label in ("stagegate strict", counterpart["label"])}
        dispatch = bench.compare("kubernetes-dispatch", side("by kind", by_kind),
                                 side("schemas mapping", by_kind, "policy-schemas.yaml"), args.warmup, args.runs,
                                 scratch)
        results["scenarios"] = {"strict": strict, "dispatch": dispatch}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    with open(os.path.join(bench.CACHE, "kubernetes-latest.json"), "w") as out:
        json.dump(results, out, indent=2)
    bench.log("wrote bench/cache/kubernetes-latest.json\n")
    print(section(results))


def section(results):
    """The Kubernetes section for RESULTS.md (printed; the lead records it from a quiet machine)."""
    m, meta, k = results["machine"], results["fixture"], KUBECONFORM
    strict, dispatch = results["scenarios"]["strict"], results["scenarios"]["dispatch"]
    ours = strict["throughput"]["stagegate strict"]
    other = [label for label in strict["throughput"] if label != "stagegate strict"][0]
    per_core_met = ours["per_core_s"] >= k["per_core_s"]
    out = ["## Kubernetes manifests\n",
           "Measured by `bench/kubernetes.py` on %s (%d warm-up and %d timed runs per side, alternating) on %s, "
           "%d cores, %s. `./stagegate validate` whole processes over %s manifest files written as people write "
           "them (multi-document, flow mappings, quoted strings, comments, block scalars): %s resources of %d "
           "kinds (%s), %.1f MB, all valid under kubeconform's strict v1.31.0 schemas (15 built-in kinds from "
           "yannh/kubernetes-json-schema, and the Argo CD Application and cert-manager Certificate CRDs from the "
           "repository). Before timing, every resource was counted checked (none skipped), and a `replica: 3` "
           "written into a Deployment was rejected at its line.\n" % (
               results["date"], results["warmup"], results["runs"], m["cpu"], results["cores"], m["jdk"],
               "{:,}".format(meta["files"]), "{:,}".format(meta["resources"]), len(meta["kinds"]),
               ", ".join("%s %s" % (kind, "{:,}".format(n)) for kind, n in sorted(meta["kinds"].items(),
                                                                                key=lambda item: -item[1])),
               meta["bytes"] / 1e6),
           "| scenario | stagegate | counterpart | ratio | CPU stagegate / counterpart | peak RSS | other load |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for entry, a, b in ((strict, "stagegate strict", other), (dispatch, "by kind", "schemas mapping")):
        out.append("| %s | %.0f ms | %s %.0f ms | %.2fx | %.1f s / %.1f s | %.0f / %.0f MiB | %.0f%% |" % (
            entry["name"], entry[a]["median_ms"], b, entry[b]["median_ms"], entry["ratio"],
            entry[a]["cpu_median_ms"] / 1000, entry[b]["cpu_median_ms"] / 1000, entry[a]["max_rss_mib"],
            entry[b]["max_rss_mib"], 100 * entry["other_cpu_share"]))
    out += ["",
            "Throughput, resources per second (strict, every resource checked):\n",
            "| | per core-second of wall time | per CPU-second | per second |",
            "| --- | --- | --- | --- |",
            "| stagegate strict, %d cores | %s | %s | %s |" % (results["cores"], "{:,}".format(ours["per_core_s"]),
                                                           "{:,}".format(ours["per_cpu_s"]),
                                                           "{:,}".format(ours["per_s"])),
            "| %s (this run) | %s | %s | %s |" % (other, "{:,}".format(strict["throughput"][other]["per_core_s"]),
                                                  "{:,}".format(strict["throughput"][other]["per_cpu_s"]),
                                                  "{:,}".format(strict["throughput"][other]["per_s"])),
            "| kubeconform, published: 50,714 resources (23,380 of them skipped), not strict, `-n 8`, 4 cores "
            "| %s | %s | %s |" % ("{:,}".format(round(k["per_core_s"])), "{:,}".format(round(k["per_cpu_s"])),
                                  "{:,}".format(round(k["resources"] / k["real_s"]))),
            "",
            "The target (issue 14: at least kubeconform's published throughput per core) is judged on resources "
            "per core-second of wall time: the median wall time times the cores this machine gives the process "
            "(%d), against kubeconform's 50,714 resources / (6.710 s x 4 cores) = %s. That is the figure the "
            "issue quotes, it is what a user waits for, and it charges stagegate for every core whether it keeps it "
            "busy or not. Per CPU-second is shown beside it but not judged on: kubeconform's 38.7 s user time on 4 "
            "cores in 6.7 s (5.8x real) counts SMT threads as CPUs, which makes its CPU-second cheaper than a "
            "core's. The published figure flatters kubeconform: it counts 23,380 resources it skipped for want of "
            "a schema (46%%) and it was not strict; stagegate's count is of resources checked, strictly, and it is "
            "judged against kubeconform's full count all the same.%s\n" % (
                results["cores"], "{:,}".format(round(k["per_core_s"])),
                "" if results.get("notes") == [] else " kubeconform itself was not installed on this machine "
                                                      "(no network to fetch it); `--kubeconform PATH` times it "
                                                      "side by side."),
            "Result: %s per core-second against kubeconform's %s (%s); kind dispatch %.2fx of the plain `schemas` "
            "mapping over the same documents (limit %.1fx: %s). The flow-style values files against ajv-cli are "
            "`bench.py --validate-only` (`validate-10k-files-as-written`)." % (
                "{:,}".format(ours["per_core_s"]), "{:,}".format(round(k["per_core_s"])),
                "met" if per_core_met else "**missed**", dispatch["ratio"], DISPATCH_LIMIT,
                "met" if dispatch["ratio"] <= DISPATCH_LIMIT else "**missed**")]
    return "\n".join(out)


if __name__ == "__main__":
    main()
