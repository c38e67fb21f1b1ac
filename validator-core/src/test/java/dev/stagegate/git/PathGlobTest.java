package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Git's wildmatch, as the {@code :(glob)} pathspec magic applies it. */
class PathGlobTest {

    @Test
    void aGlobCompiledAgainIsTheSameOneAndAnInvalidOneFailsEveryTime() {
        PathGlob first = PathGlob.compile("apps/**/values.yaml");

        assertThat(PathGlob.compile("apps/**/values.yaml")).isSameAs(first);
        assertThat(PathGlob.compile("/apps/**/values.yaml").matches("apps/a/values.yaml")).isTrue();
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> PathGlob.compile("/")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        // * stays within one directory
        "*.yaml,                 values.yaml,               true",
        "*.yaml,                 apps/values.yaml,          false",
        "apps/*/values.yaml,     apps/web/values.yaml,      true",
        "apps/*/values.yaml,     apps/web/eu/values.yaml,   false",
        "apps/*,                 apps/web,                  true",
        "apps/*,                 apps/web/values.yaml,      false",
        "*,                      .hidden,                   true",
        // **/ matches zero or more directories
        "**/values.yaml,         values.yaml,               true",
        "**/values.yaml,         apps/web/eu/values.yaml,   true",
        "**/values.yaml,         apps/web/my-values.yaml,   false",
        "apps/**/values.yaml,    apps/values.yaml,          true",
        "apps/**/values.yaml,    apps/web/values.yaml,      true",
        "apps/**/values.yaml,    apps/web/eu/values.yaml,   true",
        "apps/**/values.yaml,    other/apps/values.yaml,    false",
        // a trailing /** matches everything inside, but not the directory's name itself
        "env/**,                 env/a.yaml,                true",
        "env/**,                 env/a/b.yaml,              true",
        "env/**,                 environment.yaml,          false",
        "env/**,                 env,                       false",
        "env/**,                 apps/env/a.yaml,           false",
        // ** that is not a whole segment acts like *
        "apps/**.yaml,           apps/values.yaml,          true",
        "apps/**.yaml,           apps/web/values.yaml,      false",
        // ? is one character, never a slash
        "v?.yaml,                v1.yaml,                   true",
        "v?.yaml,                v10.yaml,                  false",
        "a?b,                    a/b,                       false",
        // character classes
        "env-[a-c].yaml,         env-b.yaml,                true",
        "env-[a-c].yaml,         env-d.yaml,                false",
        "env-[!x].yaml,          env-y.yaml,                true",
        "env-[!x].yaml,          env-x.yaml,                false",
        "env-[^x].yaml,          env-x.yaml,                false",
        "a[/]b,                  a/b,                       false",
        // case-sensitive
        "Env/**,                 env/a.yaml,                false",
        "*.YAML,                 values.yaml,               false",
        // literal text, escapes and a leading slash
        "env/prod.yaml,          env/prod.yaml,             true",
        "env/prod.yaml,          env/prodXyaml,             false",
        "env/\\*.yaml,           env/*.yaml,                true",
        "env/\\*.yaml,           env/a.yaml,                false",
        "/env/**,                env/a.yaml,                true",
        "a+b(c).yaml,            a+b(c).yaml,               true"})
    void matchesLikeGit(String glob, String path, boolean matches) {
        assertThat(PathGlob.compile(glob).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        // a last segment without wildcards names a file or a directory: as in .gitignore,
        // the directory's whole subtree is matched
        "env,                    env,                       true",
        "env,                    env/values.yaml,           true",
        "env,                    env/eu/db.yaml,            true",
        "env,                    environment.yaml,          false",
        "env,                    env2/values.yaml,          false",
        "env,                    apps/env/values.yaml,      false",
        "apps/web/env,           apps/web/env/values.yaml,  true",
        "apps/*/env,             apps/web/env/values.yaml,  true",
        "apps/*/env,             apps/web/env,              true",
        "apps/*/env,             apps/web/environment,      false",
        "**/secrets,             a/b/secrets/key.yaml,      true",
        "/env,                   env/values.yaml,           true",
        // a trailing slash names directories only
        "env/,                   env/values.yaml,           true",
        "env/,                   env/eu/db.yaml,            true",
        "env/,                   env,                       false",
        "env/,                   env2/values.yaml,          false",
        "apps/*/env/,            apps/web/env/values.yaml,  true",
        "apps/*/env/,            apps/web/env,              false",
        "apps/,                  apps/web/values.yaml,      true",
        // a wildcard in the last segment matches names, never a subtree: write dir/** for that
        "apps/*,                 apps/web/values.yaml,      false",
        "*.yaml,                 dir.yaml/values.txt,       false",
        "env/*,                  env/eu/db.yaml,            false"})
    void aGlobNamingADirectoryCoversItsSubtree(String glob, String path, boolean matches) {
        assertThat(PathGlob.compile(glob).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"env", "env/", "env/**", "/env"})
    void aTreeWalkSkipsTheWholeDirectoryAGlobNames(String glob) {
        PathGlob env = PathGlob.compile(glob);

        assertThat(env.matchesEverythingInside("env")).isTrue();
        assertThat(env.matchesEverythingInside("env/eu")).isTrue();
        assertThat(env.matchesEverythingInside("environment")).isFalse();
        assertThat(env.matchesEverythingInside("apps/env")).isFalse();
        assertThat(env.couldMatchInside("env")).isTrue();
        assertThat(env.couldMatchInside("apps")).isFalse();
        assertThat(PathGlob.compile("apps/*/env").matchesEverythingInside("apps/web/env")).isTrue();
        assertThat(PathGlob.compile("apps/*").matchesEverythingInside("apps/web")).isFalse();
    }

    @Test
    void couldMatchInsideLetsATreeWalkSkipDirectories() {
        PathGlob values = PathGlob.compile("apps/**/values.yaml");

        assertThat(values.couldMatchInside("apps")).isTrue();
        assertThat(values.couldMatchInside("apps/web")).isTrue();
        assertThat(values.couldMatchInside("ap")).isFalse();
        assertThat(values.couldMatchInside("applications")).isFalse();
        assertThat(values.couldMatchInside("env")).isFalse();

        PathGlob nested = PathGlob.compile("clusters/eu/*.yaml");
        assertThat(nested.couldMatchInside("clusters")).isTrue();
        assertThat(nested.couldMatchInside("clusters/eu")).isTrue();
        assertThat(nested.couldMatchInside("clusters/us")).isFalse();

        PathGlob anywhere = PathGlob.compile("**/values.yaml");
        assertThat(anywhere.couldMatchInside("any/dir")).isTrue();
        assertThat(PathGlob.compile("*.yaml").couldMatchInside("dir")).isTrue();
    }

    @Test
    void aPathSetContainsWhatAnyOfItsGlobsMatches() {
        PathSet set = PathSet.of(List.of("env/**", "**/secrets.yaml"));

        assertThat(set.contains("env/prod/values.yaml")).isTrue();
        assertThat(set.contains("apps/web/secrets.yaml")).isTrue();
        assertThat(set.contains("apps/web/values.yaml")).isFalse();
        assertThat(set.couldContainInside("apps")).isTrue();
        assertThat(PathSet.of(List.of("env/**")).couldContainInside("apps")).isFalse();
        assertThat(PathSet.EMPTY.contains("anything")).isFalse();
        assertThat(PathSet.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void theCommonestGlobsMatchWithoutARegularExpressionExactlyAsWithOne() {
        List<String> segments = List.of("apps", "web", "values.yaml", "xvalues.yaml", "values.yaml.bak", "a\nb", "");
        List<String> paths = new ArrayList<>();
        for (String first : segments) {
            paths.add(first);
            for (String second : segments) {
                paths.add(first + "/" + second);
                for (String third : segments) {
                    paths.add(first + "/" + second + "/" + third);
                    for (String fourth : segments) {
                        paths.add(first + "/" + second + "/" + third + "/" + fourth);
                    }
                }
            }
        }
        for (String glob : List.of("apps/**/values.yaml", "**/values.yaml", "apps/web/**/values.yaml", "**/web")) {
            // what the glob's regular expression was before: a last segment without wildcards names a subtree too
            Pattern regex = Pattern.compile(PathGlob.toRegex(glob) + "(?:/.*)?", Pattern.DOTALL);
            PathGlob compiled = PathGlob.compile(glob);
            for (String path : paths) {
                boolean expected = regex.matcher(path).matches();
                assertThat(compiled.matches(path)).as("%s matches %s", glob, path).isEqualTo(expected);
                assertThat(compiled.matchesEverythingInside(path)).as("%s inside %s", glob, path).isEqualTo(expected);
            }
        }
    }

    @Test
    void aLineBreakInAPathIsACharacterLikeAnyOther() {
        // git allows one in a name: a rule or a schema must not lose the file that has one
        for (String glob : List.of("apps/**/values.yaml", "apps/*/values.yaml", "apps/**", "apps", "apps/",
                "**/*.yaml")) {
            assertThat(PathGlob.compile(glob).matches("apps/a\nb/values.yaml")).as(glob).isTrue();
        }
        assertThat(PathGlob.compile("apps/?/values.yaml").matches("apps/\n/values.yaml")).isTrue();
        assertThat(PathGlob.compile("**").matchesEverythingInside("a\nb")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "env/[z-a]"})
    void anInvalidGlobIsRejected(String glob) {
        assertThatThrownBy(() -> PathGlob.compile(glob)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheGlobItWasCompiledFrom() {
        assertThat(PathGlob.compile("/env/**").glob()).isEqualTo("env/**");
        assertThat(PathGlob.compile("env/**")).hasToString("env/**");
        assertThat(PathGlob.compile("env/").glob()).isEqualTo("env/");
    }
}
