def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

GitOps.newInstance(basedir).environmentBranches(['pom.xml', 'web/pom.xml'])

// a pre-build script that returns anything but true or null fails the build
return true
