package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.cli.server.HookShell;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookScriptTest {

    private final HookScript script = new HookScript(
            Path.of("/usr/lib/jvm/java-17/bin/java"),
            List.of("-XX:+UseSerialGC", "-Xmx256m"),
            Path.of("/srv/git/it's here.git/hooks/stagegate.jar"),
            List.of("--identity-env", "GL_USERNAME", "--policy", "/etc/stage gate/policy.yaml"));

    @Test
    void execsJavaOnTheJarWithTheHookOptions() {
        assertThat(script.render().lines().toList()).first().isEqualTo("#!/bin/sh");
        assertThat(script.render().lines().toList()).last().isEqualTo("exec /usr/lib/jvm/java-17/bin/java "
                + "-XX:+UseSerialGC -Xmx256m -jar '/srv/git/it'\\''s here.git/hooks/stagegate.jar' pre-receive "
                + "--identity-env GL_USERNAME --policy '/etc/stage gate/policy.yaml'");
    }

    @Test
    void recognisesItsOwnHooksByTheMarkerLine() {
        assertThat(HookShell.isOurs(script.render())).isTrue();
        assertThat(HookShell.isOurs("#!/bin/sh\n# installed by stagegate-like tool\nexit 0\n")).isFalse();
        assertThat(HookShell.isOurs("#!/bin/sh\nexec /opt/gitlab/hooks/pre-receive\n")).isFalse();
    }
}
