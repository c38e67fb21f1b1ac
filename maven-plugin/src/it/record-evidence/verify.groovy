def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def log = new File(basedir, 'build.log').getText('UTF-8')
def clone = GitOps.newInstance(basedir)
def tested = clone.git('rev-parse', 'origin/test')

// once, in the last module, over both modules' reports
assert log.contains('[INFO] stagegate:record-evidence runs once for the whole repository, in web; nothing to do in record-evidence')
assert log.contains("[INFO] note: recorded 'integration' passed in testing on ${tested} (refs/notes/stagegate, pushed to origin): 5 tests, 0 failures, 0 errors, 0 skipped")
assert log.contains("stagegate:record-evidence recorded 'integration' as failed in testing (2 tests, 1 failures, 0 errors, 0 skipped): the tests did not pass")
assert log.contains("[INFO] note: recorded 'integration' failed in testing on ${tested} (refs/notes/stagegate): 3 tests, 0 failures, 0 errors, 3 skipped; no test ran: all 3 tests were skipped")
assert log.contains("stagegate:record-evidence recorded 'integration' as failed in testing (3 tests, 0 failures, 0 errors, 3 skipped): no test ran: all 3 tests were skipped")
assert log.contains('is on no remote branch')

// the notes reached origin, a passed and then a failed line
def origin = GitOps.newInstance(new File(basedir.parentFile, basedir.name + '.origin.git'))
def lines = origin.git('notes', '--ref=stagegate', 'show', tested).readLines()
assert lines.size() == 2
assert lines[0].contains('"result":"passed"') && lines[0].contains('"tests":5')
assert lines[1].contains('"result":"failed"') && lines[1].contains('"failures":1')
for (line in lines) {
    assert line.contains('"environment":"testing"') && line.contains('"suite":"integration"')
    assert line.contains('"producer":"ci-bot"') && line.contains('"recordedAt":"2026-11-27T10:00:00Z"')
    assert line.contains('"runUrl":"https://github.example/acme/deploy/actions/runs/42"')
}
