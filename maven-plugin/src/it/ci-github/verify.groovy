def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains("[INFO] stagegate: checking the promotion of HEAD into 'main' (from GITHUB_BASE_REF, GitHub Actions)")
assert log.contains('[INFO] stagegate: accepted (0 errors, 0 warnings)')
assert log.contains('[INFO] stagegate:check-promotion skipped: not a pull request (no stagegate.target, and none of'
        + ' GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME, CHANGE_TARGET, BITBUCKET_PR_DESTINATION_BRANCH,'
        + ' SYSTEM_PULLREQUEST_TARGETBRANCH is set)')
assert !log.contains('[ERROR]')
