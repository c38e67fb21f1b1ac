def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def repository = GitOps.newInstance(basedir)
def ids = repository.environmentBranches()
repository.evidence(ids.c3, 'staging', 'smoke', 'passed')
repository.publish()
def merge = repository.githubMergeRef('origin/main', 'origin/staging')
repository.ciCheckout(merge, true)

// a pre-build script that returns anything but true or null fails the build
return true
