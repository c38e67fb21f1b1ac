def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def policy = GitOps.POLICY + '''\
kubernetes:
  manifests: ["k8s/**/*.yaml"]
  version: "1.31.0"
  schemaLocations: ["schemas/k8s"]
  skipKinds: [SealedSecret]
'''
def deployment = '''\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
'''
def sealedSecret = '''\
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db
'''
// the repository's schema lets anything pass; the build's mirror allows at most two replicas
def mirrorSchema = '''\
{"type": "object", "properties": {"spec": {"type": "object",
  "properties": {"replicas": {"type": "integer", "maximum": 2}}}}}
'''
def repository = GitOps.newInstance(basedir)
repository.write('mirror/v1.31.0-standalone/deployment-apps-v1.json', mirrorSchema)
repository.environmentBranches(['pom.xml'], [
        '.stagegate/policy.yaml'                              : policy,
        'schemas/k8s/v1.31.0-standalone/deployment-apps-v1.json': '{}',
        'k8s/web/deploy.yaml'                                 : deployment + '---\n' + sealedSecret])

// a pre-build script that returns anything but true or null fails the build
return true
