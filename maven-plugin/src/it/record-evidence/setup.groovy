def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def repository = GitOps.newInstance(basedir)
def ids = repository.environmentBranches(['pom.xml', 'web/pom.xml'])
// origin already has evidence notes (a first push of refs/notes/stagegate is another case)
repository.evidence(ids.c2, 'staging', 'smoke', 'passed')
repository.publish()
repository.git('checkout', '-q', '--detach', 'origin/main')
repository.git('merge', '-q', '--no-ff', '-m', 'Merge test into main', 'origin/test')
repository.git('tag', 'synthetic-merge')
repository.git('checkout', '-q', 'test')

// what Surefire and Failsafe would have written in this build
def report = { String path, String name, int tests, int failures, int skipped = 0 ->
    repository.write(path, """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="${name}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">
  <testcase name="works" classname="${name}"/>
</testsuite>
""")
}
report('target/surefire-reports/TEST-deploy.SmokeTest.xml', 'deploy.SmokeTest', 3, 0)
report('web/target/failsafe-reports/TEST-web.ApiIT.xml', 'web.ApiIT', 2, 0)
report('failed-reports/TEST-web.ApiIT.xml', 'web.ApiIT', 2, 1)
// JUnit's tests count includes the skipped ones: none of these ran
report('skipped-reports/TEST-web.ApiIT.xml', 'web.ApiIT', 3, 0, 3)

// a pre-build script that returns anything but true or null fails the build
return true
