package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ref names that git accepts but few expect, pushed with the real git client: the hook reads
 * them from stdin as git writes them (UTF-8), judges them like any other ref and answers in
 * plain ASCII. (RefNameTest judges the same names in the engine.)
 */
@Tag("end-to-end")
class OddRefNameIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: production
                branch: main
                promotesFrom: development
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            """;
    private static final String SCHEMA = """
            {"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}}
            """;
    private static final String UNICODE = "feature/\u00fcn\u00efc\u00f6d\u00e9-\u2603";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;

    @BeforeEach
    void server() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .commit("Start");
        workspace.git("push", "--quiet", "origin", "main", "main:develop");
        server.withHookInstalled("--no-cds");
    }

    @ParameterizedTest
    @ValueSource(strings = {UNICODE, "m\u0430in", "release/2026.11/hotfix-#42_(eu)+rc.1"})
    void anOddButLegalBranchNameIsAccepted(String branch) {
        workspace.write("apps/web/values.yaml", "replicas: 3\n").commit("Scale to 3");

        ProgramResult push = workspace.push("HEAD:refs/heads/" + branch);

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).containsExactly("stagegate: accepted (0 errors, 0 warnings)");
        assertThat(server.ref("refs/heads/" + branch)).isNotNull();
    }

    @Test
    void aBranchNameOfTwoThousandCharacters() {
        String branch = ("x".repeat(200) + "/").repeat(10) + "end";
        workspace.write("apps/web/values.yaml", "replicas: 3\n").commit("Scale to 3");

        ProgramResult push = workspace.push("HEAD:refs/heads/" + branch);

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).containsExactly("stagegate: accepted (0 errors, 0 warnings)");
    }

    @Test
    void aRejectionOnAUnicodeBranchIsPrintedAsAscii() {
        workspace.write("apps/web/values.yaml", "replicas: 0\n").commit("Scale to zero");

        ProgramResult push = workspace.push("HEAD:refs/heads/" + UNICODE);

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).as("%s", push).anySatisfy(line -> assertThat(line)
                .startsWith("error [schema-violation] apps/web/values.yaml:1:1"
                        + " refs/heads/feature/\\u00fcn\\u00efc\\u00f6d\\u00e9-\\u2603 ")
                .matches("\\p{ASCII}*"));
    }

    @Test
    void aTagThatShadowsAnEnvironmentBranch() {
        ProgramResult push = workspace.push(Map.of(), "HEAD:refs/tags/develop");

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).as("%s", push).anySatisfy(line -> assertThat(line)
                .startsWith("error [ref-shadowing] refs/tags/develop ")
                .endsWith(": refs/tags/develop has the short name of branch 'develop' of environment development;"
                        + " deployment tools may resolve it instead of the branch; choose another name"));
    }
}
