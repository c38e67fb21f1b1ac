import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')
def report = { name -> new JsonSlurper().parse(new File(basedir, "target/${name}.json")) }
def rules = { name -> report(name).violations.findAll { it.severity == 'error' }*.rule as Set }

// alice's signed approval counts with the repository's allowed signers
assert report('approved').decision == 'accept'

// stagegate.allowedSigners replaces the repository's file: alice's old key is not in it
assert log.contains('(stagegate.allowedSigners)')
assert report('rotated').decision == 'reject'
assert rules('rotated') == ['missing-approval'] as Set
assert log.contains('[ERROR] [missing-approval] ')
assert log.contains('alice (signature does not verify: key ')
assert log.contains('stagegate:check-promotion rejected: [missing-approval]')
