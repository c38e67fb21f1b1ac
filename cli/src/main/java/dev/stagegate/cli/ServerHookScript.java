package dev.stagegate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pre-receive hook that {@code hook install --server DIR} writes: a bash script that asks
 * the resident server ({@link HookServer}) and prints its verdict, and runs the JVM itself,
 * exactly as the plain hook does, whenever the server is not running or its answer lacks a
 * valid proof. When the server is not running it also starts one, for the pushes after this.
 *
 * <p>bash rather than sh for {@code /dev/tcp}, {@code read -t} and {@code read -N}: the hook
 * then needs no socket tool, and costs a few milliseconds around the server's answer.
 *
 * @param judgeHere        the plain hook, run when the server cannot answer
 * @param bash             absolute path of bash found at install time
 * @param serverDirectory  the server's directory (endpoint file, lock, log)
 * @param serverJvmOptions start-up flags for the server's JVM
 * @param answerSeconds    how long to wait for a verdict once the server has the push; past it the
 *                         push is rejected, since judging it here too would miss the host's budget
 */
record ServerHookScript(HookScript judgeHere, Path bash, Path serverDirectory, List<String> serverJvmOptions,
        int answerSeconds) {

    /** A running server greets at once; one that does not within this is treated as not running. */
    static final String GREETING_SECONDS = "1";

    ServerHookScript {
        serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    String render() {
        String java = HookScript.quote(judgeHere.java().toString());
        String jar = HookScript.quote(judgeHere.jar().toString());
        String arguments = judgeHere.hookArguments().stream().map(HookScript::quote).collect(Collectors.joining(" "));
        List<String> serve = new ArrayList<>();
        // a clean environment: the server outlives this push, and must not keep its pusher's variables
        serve.addAll(List.of("env", "-i", "PATH=\"$PATH\"", "HOME=\"${HOME:-/}\"", "LANG=C.UTF-8", "\"$java\""));
        serverJvmOptions.stream().map(HookScript::quote).forEach(serve::add);
        serve.addAll(List.of("-jar", "\"$jar\"", "hook", "serve", "--dir", "\"$server\""));
        List<String> here = new ArrayList<>();
        here.add("\"$java\"");
        judgeHere.jvmOptions().stream().map(HookScript::quote).forEach(here::add);
        here.addAll(List.of("-jar", "\"$jar\"", "pre-receive", "\"${arguments[@]}\""));
        return "#!" + bash + "\n"
                + HookScript.MARKER + "\n"
                + "# Written by 'stagegate hook install --server'; run it again to change this hook rather than editing it.\n"
                + "# Git passes the pushed updates on stdin; exit status 0 accepts the push. The push is judged by\n"
                + "# the resident server when it runs and proves it knows the secret in its endpoint file; in every\n"
                + "# other case by the JVM started below, exactly as without a server (docs/hook-install.md).\n"
                + "# The one exception: a server that proved itself and then gives no verdict in time fails closed.\n"
                + "LC_ALL=C\n"
                + "# a server that hangs up mid-request must not kill this script: the write fails, and it judges here\n"
                + "trap '' PIPE\n"
                + "java=" + java + "\n"
                + "jar=" + jar + "\n"
                + "server=" + HookScript.quote(serverDirectory.toString()) + "\n"
                + "arguments=(" + arguments + ")\n"
                + "judge_here() {\n"
                + "  exec 3>&-\n"
                + "  trap - PIPE\n"
                + "  printf '%s' \"$input\" | " + String.join(" ", here) + "\n"
                + "  exit $?\n"
                + "}\n"
                + "# in its own session and in the server directory (where a JVM crash log would land), detached\n"
                + "# from git's pipes; the server's lock makes a second one exit at once\n"
                + "start_server() {\n"
                + "  mkdir -p -m 700 \"$server\" 2>/dev/null\n"
                + "  ( cd \"$server\" || exit; session=; command -v setsid >/dev/null && session=setsid\n"
                + "    $session " + String.join(" ", serve) + " </dev/null >>" + HookServer.LOG_FILE
                + " 2>&1 & ) 2>/dev/null\n"
                + "}\n"
                + "# until the peer has proved it knows the secret it may be anyone: it gets nothing of the push,\n"
                + "# and a server is started in case the real one is gone\n"
                + "not_the_server() {\n"
                + "  start_server\n"
                + "  judge_here\n"
                + "}\n"
                + "# the request goes out in one write (bash writes 16 KiB at a time): a second, small write would\n"
                + "# wait for the server's delayed ACK, 40 ms on Linux\n"
                + "request=\n"
                + "field() {\n"
                + "  printf -v piece '%s %d\\n%s\\n' \"$1\" \"${#2}\" \"$2\"\n"
                + "  request+=$piece\n"
                + "}\n"
                + "IFS= read -r -d '' input\n"
                + "[ -r /proc/self/environ ] || judge_here\n"
                + "{ read -r port secret <\"$server/" + HookServer.ENDPOINT_FILE + "\"; } 2>/dev/null"
                + " || { start_server; judge_here; }\n"
                + "{ exec 3<>\"/dev/tcp/127.0.0.1/$port\"; } 2>/dev/null || { start_server; judge_here; }\n"
                + "read -r -t " + GREETING_SECONDS + " -u 3 greeting server_nonce && [ \"$greeting\" = "
                + HookProtocol.GREETING + " ] || not_the_server\n"
                + "nonce=${SRANDOM:-}${SRANDOM:-}${SRANDOM:-}${SRANDOM:-}${SRANDOM:-}\n"
                + "[ ${#nonce} -ge 16 ] || nonce=$(od -An -N16 -tx1 /dev/urandom | tr -dc 0-9a-f)\n"
                + "proof=$(printf 'client\\n%s\\n%s\\n%s' \"$secret\" \"$server_nonce\" \"$nonce\" | sha256sum)"
                + " || judge_here\n"
                + "printf '" + HookProtocol.REQUEST + " %s %s\\n' \"$nonce\" \"${proof%% *}\" >&3 2>/dev/null"
                + " || not_the_server\n"
                + "read -r -t " + GREETING_SECONDS + " -u 3 ready server_proof && [ \"$ready\" = "
                + HookProtocol.READY + " ] || not_the_server\n"
                + "expected=$(printf 'ready\\n%s\\n%s\\n%s' \"$secret\" \"$nonce\" \"$server_nonce\" | sha256sum)"
                + " || judge_here\n"
                + "[ \"${expected%% *}\" = \"$server_proof\" ] || not_the_server\n"
                + "field cwd \"$PWD\"\n"
                + "field jar \"$jar\"\n"
                + "for argument in \"${arguments[@]}\"; do field arg \"$argument\"; done\n"
                + "while IFS= read -r -d '' variable; do field env \"$variable\"; done </proc/self/environ\n"
                + "field stdin \"$input\"\n"
                + "request+=" + HookProtocol.END + "$'\\n'\n"
                + "printf '%s' \"$request\" >&3 2>/dev/null || judge_here\n"
                + "read -r -t " + answerSeconds + " -u 3 answer status length proof\n"
                + "if [ $? -gt 128 ]; then\n"
                + "  echo \"stagegate: the hook server in $server gave no verdict within " + answerSeconds
                + "s; push rejected (fail closed)\"\n"
                + "  exit 3\n"
                + "fi\n"
                + "[ \"$answer\" = " + HookProtocol.VERDICT + " ] || judge_here\n"
                + "case $status$length in ''|*[!0-9]*) judge_here ;; esac\n"
                + "body=\n"
                + "[ \"$length\" -eq 0 ] || IFS= read -r -N \"$length\" -t " + answerSeconds + " -u 3 body\n"
                + "[ ${#body} -eq \"$length\" ] || judge_here\n"
                + "expected=$(printf 'server\\n%s\\n%s\\n%s\\n%s' \"$secret\" \"$nonce\" \"$status\" \"$body\" | sha256sum)"
                + " || judge_here\n"
                + "[ \"${expected%% *}\" = \"$proof\" ] || judge_here\n"
                + "printf '%s' \"$body\"\n"
                + "exit \"$status\"\n";
    }
}
