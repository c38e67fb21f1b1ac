import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] [schema-violation] apps/web/values.yaml:2:1: replicas: expected integer, found string')
assert log.contains('[INFO] stagegate: rejected (1 error, 0 warnings)')
assert log.contains('stagegate:validate rejected: [schema-violation] apps/web/values.yaml:2:1: ')
assert log.contains('[INFO] stagegate:validate skipped (stagegate.skip)')

def report = new JsonSlurper().parse(new File(basedir, 'target/stagegate.json'))
assert report.decision == 'reject'
assert report.violations.size() == 1
assert report.violations[0].rule == 'schema-violation'
assert report.violations[0].file == 'apps/web/values.yaml'
assert report.violations[0].line == 2
