package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerHookScriptTest {

    private final HookScript judgeHere = new HookScript(
            Path.of("/usr/lib/jvm/java-17/bin/java"),
            List.of("-XX:+UseSerialGC", "-Xmx256m"),
            Path.of("/srv/git/it's here.git/hooks/stagegate.jar"),
            List.of("--identity-env", "GL_USERNAME", "--policy", "/etc/stage gate/policy.yaml"));
    private final ServerHookScript script = new ServerHookScript(judgeHere, Path.of("/bin/bash"),
            Path.of("/var/lib/stage gate"), List.of("-Xmx1g"), 6);

    @TempDir
    Path directory;

    @Test
    void isABashScriptStagegateRecognisesAsItsOwn() {
        assertThat(script.render().lines().toList()).first().isEqualTo("#!/bin/bash");
        assertThat(HookScript.isOurs(script.render())).isTrue();
    }

    @Test
    void quotesEveryPathAndArgument() {
        assertThat(script.render())
                .contains("jar='/srv/git/it'\\''s here.git/hooks/stagegate.jar'\n")
                .contains("server='/var/lib/stage gate'\n")
                .contains("arguments=(--identity-env GL_USERNAME --policy '/etc/stage gate/policy.yaml')\n")
                .contains("\"$java\" -XX:+UseSerialGC -Xmx256m -jar \"$jar\" pre-receive \"${arguments[@]}\"")
                .contains("env -i PATH=\"$PATH\" HOME=\"${HOME:-/}\" LANG=C.UTF-8 \"$java\" -Xmx1g -jar \"$jar\" hook serve --dir \"$server\"");
    }

    @Test
    void waitsForTheVerdictAsLongAsItWasToldAndThenFailsClosed() {
        assertThat(script.render())
                .contains("read -r -t 6 -u 3 answer status length proof\n")
                .contains("gave no verdict within 6s; push rejected (fail closed)\"\n  exit 3\n");
    }

    @Test
    void bashAcceptsItsSyntax() throws IOException, InterruptedException {
        Path hook = Files.writeString(directory.resolve("pre-receive"), script.render(), StandardCharsets.UTF_8);

        Process check = new ProcessBuilder("bash", "-n", hook.toString()).redirectErrorStream(true).start();

        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(check.exitValue()).isZero();
    }
}
