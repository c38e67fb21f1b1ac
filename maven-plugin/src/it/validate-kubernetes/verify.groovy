import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def error = log.readLines().find { it.startsWith('[ERROR] [schema-violation] k8s/web/deploy.yaml:6:3: ') }

assert error != null : log
assert error.contains('Deployment web (apps/v1): spec.replicas: ')
assert error.endsWith('/mirror/v1.31.0-standalone/deployment-apps-v1.json)')
assert log.contains('[INFO] stagegate: rejected (1 error, 0 warnings)')

def report = new JsonSlurper().parse(new File(basedir, 'target/stagegate.json'))
assert report.decision == 'reject'
assert report.violations.size() == 1
assert report.violations[0].file == 'k8s/web/deploy.yaml'
assert report.violations[0].line == 6
assert report.kubernetes.files == 1
def kinds = report.kubernetes.kinds.collectEntries { [(it.kind): it] }
assert kinds['apps/v1/Deployment'].checked == 1
assert kinds['bitnami.com/v1alpha1/SealedSecret'].skipped == 1
