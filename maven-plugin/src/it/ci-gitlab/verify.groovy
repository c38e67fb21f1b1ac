def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[INFO] stagegate: checking the promotion of HEAD into 'main' (from CI_MERGE_REQUEST_TARGET_BRANCH_NAME, GitLab CI)")
assert log.contains('[ERROR] [missing-evidence] ')
assert log.contains("git fetch origin '+refs/notes/*:refs/notes/*'")
assert log.contains('stagegate:check-promotion rejected: [missing-evidence]')
