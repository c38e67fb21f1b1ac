def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))

/** Runs ssh-keygen (the key and the signature are made as people make them) and fails on any error. */
def sshKeygen = { List<String> args ->
    def process = new ProcessBuilder(['ssh-keygen'] + args).redirectErrorStream(true).start()
    def output = process.inputStream.getText('UTF-8')
    if (process.waitFor() != 0) {
        throw new IllegalStateException("ssh-keygen ${args.join(' ')} failed:\n${output}")
    }
}

def keys = new File(basedir, 'keys')
keys.mkdirs()
['alice', 'alice-rotated'].each { sshKeygen(['-q', '-t', 'ed25519', '-N', '', '-C', it, '-f', new File(keys, it).path]) }
def publicKey = { name -> new File(keys, name + '.pub').text.trim().split(' ')[0..1].join(' ') }
// the server's replacement file: alice has a new key there, so her old signature no longer counts
new File(keys, 'rotated_signers').text = "alice namespaces=\"stagegate\" ${publicKey('alice-rotated')}\n"

def policy = '''\
apiVersion: stagegate/v1
kind: PromotionPolicy
environments:
  - name: development
    branch: develop
  - name: testing
    branch: test
    promotesFrom: development
  - name: staging
    branch: staging
    promotesFrom: testing
  - name: production
    branch: main
    promotesFrom: staging
    requiresApproval:
      count: 1
      from: [release-managers]
environmentSpecificPaths:
  - "env/**"
groups:
  release-managers: [alice, bob]
identities:
  alice: [alice@example.com]
  bob: [bob@example.com]
evidence:
  writers: [ci-bot]
  signatures: required
  allowedSigners: .stagegate/allowed_signers
'''
def repository = GitOps.newInstance(basedir)
def ids = repository.environmentBranches(['pom.xml'], [
        '.stagegate/policy.yaml'    : policy,
        '.stagegate/allowed_signers': "alice namespaces=\"stagegate\" ${publicKey('alice')}\n".toString()])

// The signed payload is the record without its signature as RFC 8785 canonical JSON: members
// sorted, no whitespace (these values need no escaping).
def unsigned = '{"apiVersion":"stagegate/v1","approver":"alice","commit":"' + ids.c3 +
        '","decision":"approved","environment":"production","kind":"Approval","recordedAt":"2026-11-20T13:00:00Z"}'
def payload = new File(keys, 'approval.json')
payload.setText(unsigned, 'UTF-8')
sshKeygen(['-Y', 'sign', '-n', 'stagegate', '-f', new File(keys, 'alice').path, payload.path])
def signature = new File(keys, 'approval.json.sig').getText('UTF-8').trim()
def line = unsigned[0..-2] + ',"signature":"' + signature.replace('\n', '\\n') + '"}'
repository.git('notes', '--ref=stagegate', 'append', '-m', line, ids.c3)
repository.publish()

// a pre-build script that returns anything but true or null fails the build
return true
