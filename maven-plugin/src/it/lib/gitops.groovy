// Builds the git histories the integration tests judge, with the real git client.
// A setup.groovy or verify.groovy loads it with
//   def GitOps = evaluate(new File(itLibrary, 'gitops.groovy'))
// (itLibrary is a script variable of the invoker configuration).

class GitOps {

    /** The policy every scenario runs under: production takes only content that passed staging's smoke tests. */
    static final String POLICY = '''\
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
    requiresEvidence:
      - suite: smoke
        environment: staging
environmentSpecificPaths:
  - "env/**"
schemas:
  - files: "apps/**/values.yaml"
    schema: schemas/app-values.schema.json
evidence:
  trustedProducers: [ci-bot]
  writers: [ci-bot]
'''

    static final String SCHEMA = '''\
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["image", "replicas"],
  "additionalProperties": false,
  "properties": {
    "image": {"type": "string"},
    "replicas": {"type": "integer", "minimum": 1}
  }
}
'''

    final File dir

    GitOps(File dir) {
        this.dir = dir
    }

    static String values(String tag) {
        "image: registry.example/web:${tag}\nreplicas: 2\n"
    }

    /** Runs git in this directory, never in a repository above it, and returns its trimmed output. */
    String git(String... args) {
        def command = ['git'] + args.toList()
        def builder = new ProcessBuilder(command).directory(dir).redirectErrorStream(true)
        def environment = builder.environment()
        environment.keySet().removeIf { it.startsWith('GIT_') }
        environment.putAll([
                GIT_CEILING_DIRECTORIES: dir.absoluteFile.parentFile.path,
                GIT_CONFIG_GLOBAL      : '/dev/null',
                GIT_CONFIG_NOSYSTEM    : '1',
                GIT_AUTHOR_NAME        : 'Dana Developer',
                GIT_AUTHOR_EMAIL       : 'dana@example.com',
                GIT_AUTHOR_DATE        : '2026-11-20T10:00:00Z',
                GIT_COMMITTER_NAME     : 'Dana Developer',
                GIT_COMMITTER_EMAIL    : 'dana@example.com',
                GIT_COMMITTER_DATE     : '2026-11-20T10:00:00Z'])
        def process = builder.start()
        def output = process.inputStream.getText('UTF-8')
        int status = process.waitFor()
        if (status != 0) {
            throw new IllegalStateException("${command.join(' ')} failed with ${status} in ${dir}:\n${output}")
        }
        output.trim()
    }

    GitOps write(String path, String text) {
        def file = new File(dir, path)
        file.parentFile.mkdirs()
        file.setText(text, 'UTF-8')
        this
    }

    /** Writes the files, commits them (and the paths in alsoAdd) and returns the new commit's id. */
    String commit(String message, Map<String, String> files, List<String> alsoAdd = []) {
        files.each { path, text -> write(path, text) }
        git(*(['add', '--'] + files.keySet().toList() + alsoAdd))
        git('commit', '-q', '-m', message)
        git('rev-parse', 'HEAD')
    }

    /** Attaches an evidence record (evidence-v1.md) to a commit, as a CI would after its tests. */
    void evidence(String commit, String environment, String suite, String result) {
        git('notes', '--ref=stagegate', 'append', '-m',
                '{"apiVersion":"stagegate/v1","kind":"TestEvidence","commit":"' + commit + '","environment":"'
                        + environment + '","suite":"' + suite + '","result":"' + result
                        + '","recordedAt":"2026-11-20T12:00:00Z","producer":"ci-bot"}',
                commit)
    }

    /**
     * An environment-per-branch repository in dir, with every project file of the build committed:
     * develop c1 (policy, schema, web v1) - c2 (v2) - c3 (v3) - c4 (v4); test and staging at c3,
     * main at c1; hotfix branched from main with a change of its own. c1Files adds files to c1 or
     * replaces its (another policy). Returns the commit ids.
     */
    Map<String, String> environmentBranches(List<String> projectFiles = ['pom.xml'], Map<String, String> c1Files = [:]) {
        git('init', '-q', '-b', 'develop')
        def ids = [:]
        ids.c1 = commit('web v1, under a policy', [
                '.stagegate/policy.yaml'         : POLICY,
                'schemas/app-values.schema.json' : SCHEMA,
                'apps/web/values.yaml'           : values('v1')] + c1Files, projectFiles)
        ids.c2 = commit('web v2', ['apps/web/values.yaml': values('v2')])
        ids.c3 = commit('web v3', ['apps/web/values.yaml': values('v3')])
        ids.c4 = commit('web v4', ['apps/web/values.yaml': values('v4')])
        git('branch', 'test', ids.c3)
        git('branch', 'staging', ids.c3)
        git('branch', 'main', ids.c1)
        git('checkout', '-q', '-b', 'hotfix', 'main')
        ids.hotfix = commit('web v1.1 straight to main', ['apps/web/values.yaml': values('v1.1')])
        git('checkout', '-q', 'develop')
        ids
    }

    /** A bare origin beside dir with every branch and the notes; dir then tracks it as refs/remotes/origin/*. */
    File publish() {
        def origin = new File(dir.parentFile, dir.name + '.origin.git')
        origin.deleteDir()
        git('init', '-q', '--bare', origin.path)
        git('remote', 'add', 'origin', origin.path)
        git('push', '-q', 'origin', 'refs/heads/*:refs/heads/*', 'refs/notes/*:refs/notes/*')
        git('fetch', '-q', 'origin')
        origin
    }

    /**
     * Leaves dir as a CI's checkout leaves it: HEAD detached at rev, no local branches, and the
     * evidence notes only when fetchNotes (CI checkouts do not fetch refs/notes/*).
     */
    void ciCheckout(String rev, boolean fetchNotes) {
        git('checkout', '-q', '--detach', rev)
        git('for-each-ref', '--format=%(refname)', 'refs/heads/', 'refs/notes/').readLines().each {
            git('update-ref', '-d', it)
        }
        if (fetchNotes) {
            git('fetch', '-q', 'origin', '+refs/notes/*:refs/notes/*')
        }
    }

    /** GitHub's pull-request merge ref: a merge commit of the pull request's head into its base. */
    String githubMergeRef(String base, String head) {
        git('checkout', '-q', '--detach', base)
        git('merge', '-q', '--no-ff', '-m', "Merge ${head} into ${base}", head)
        git('update-ref', 'refs/remotes/pull/1/merge', 'HEAD')
        git('rev-parse', 'HEAD')
    }
}

return GitOps
