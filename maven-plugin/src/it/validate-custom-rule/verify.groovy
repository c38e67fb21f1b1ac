import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').getText('UTF-8')

// 1: validate for production
assert log.contains('[ERROR] [replica-floor] apps/web/values.yaml:2:1: testing and production run at least three replicas')
assert log.contains('stagegate:validate rejected: [replica-floor] apps/web/values.yaml:2:1: ')
def sarif = new JsonSlurper().parse(new File(basedir, 'target/production.sarif'))
def run = sarif.runs[0]
def rules = run.tool.driver.rules
def floor = rules.find { it.id == 'replica-floor' }
assert floor.shortDescription.text == 'testing and production run at least three replicas'
assert run.results.size() == 1
assert run.results[0].ruleId == 'replica-floor'
assert rules[run.results[0].ruleIndex].id == 'replica-floor'

// 2: no environment: accepted
assert log.contains('[INFO] stagegate: accepted (0 errors, 0 warnings)')

// 3: unknown environment
assert log.contains("unknown environment 'prod'; environments: development, testing, staging, production")

// 4: check-promotion into test judges the rule for testing
assert log.contains("[INFO] stagegate: checking the promotion of origin/develop into 'test' (stagegate.target)")
def promotion = new JsonSlurper().parse(new File(basedir, 'target/promotion.json'))
assert promotion.decision == 'reject'
assert promotion.violations*.rule.contains('replica-floor')
assert log.contains('stagegate:check-promotion rejected: [replica-floor] ')
