def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def repository = GitOps.newInstance(basedir)
repository.environmentBranches()
repository.commit('web v5, replicas spelled out', ['apps/web/values.yaml': 'image: registry.example/web:v5\nreplicas: two\n'])

// a pre-build script that returns anything but true or null fails the build
return true
