def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

// the history is made here, published, and fetched back with depth 1, as a default CI checkout does
def repository = GitOps.newInstance(basedir)
repository.environmentBranches()
def origin = repository.publish()
new File(basedir, '.git').deleteDir()
repository.git('init', '-q')
repository.git('remote', 'add', 'origin', 'file://' + origin.absolutePath)
repository.git('fetch', '-q', '--depth', '1', 'origin')
repository.git('checkout', '-q', '-f', '--detach', 'origin/staging')

// a pre-build script that returns anything but true or null fails the build
return true
