def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.contains('[ERROR] [stagegate] this is a shallow clone')
assert log.contains('fetch-depth: 0')
assert log.contains('stagegate:check-promotion cannot judge the repository: [stagegate] this is a shallow clone')
