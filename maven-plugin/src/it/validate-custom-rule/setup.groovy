def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

def rules = '''\
rules:
  - id: replica-floor
    environments: [testing, production]
    files: "apps/**/values.yaml"
    expression: "object.replicas >= 3"
    fieldPath: replicas
    message: "testing and production run at least three replicas"
'''

def repository = GitOps.newInstance(basedir)
repository.environmentBranches(['pom.xml'], ['.stagegate/policy.yaml': GitOps.POLICY + rules])
repository.publish()

// a pre-build script that returns anything but true or null fails the build
return true
