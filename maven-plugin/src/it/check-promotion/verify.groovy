import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def report = { name -> new JsonSlurper().parse(new File(basedir, "target/${name}.json")) }
def rules = { name -> report(name).violations.findAll { it.severity == 'error' }*.rule as Set }

assert log.contains("[INFO] stagegate: checking the promotion of origin/staging~1 into 'main' (stagegate.target)")
assert report('tested').decision == 'accept'

assert log.contains("[INFO] stagegate: checking the promotion of origin/develop into 'production' (stagegate.target)")
assert report('develop').decision == 'reject'
assert rules('develop').contains('skipped-stage')
assert log.contains('[ERROR] [skipped-stage] refs/heads/main (production)')

assert report('untested').decision == 'reject'
assert rules('untested') == ['missing-evidence'] as Set
assert log.contains('[ERROR] [missing-evidence] ')
assert log.contains('stagegate:check-promotion rejected: [missing-evidence]')

assert report('hotfix').decision == 'reject'
assert rules('hotfix').contains('skipped-stage')
