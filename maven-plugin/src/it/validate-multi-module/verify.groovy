def log = new File(basedir, 'build.log').getText('UTF-8')

assert log.count('[INFO] stagegate: accepted (0 errors, 0 warnings)') == 1
assert log.contains('[INFO] stagegate:validate runs once for the whole repository, in validate-multi-module; nothing to do in web')
assert log.contains('stagegate:check-promotion')
assert log.contains('stagegate:record-evidence')
assert !log.contains('[ERROR]')
