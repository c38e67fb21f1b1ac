package dev.stagegate.cli.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pre-receive hook that {@code hook install --server DIR} writes: a bash script that asks
 * the resident server ({@link HookServer}) through a socket client ({@link SocketClient}) and
 * prints its verdict, and runs the JVM itself, exactly as the plain hook does, whenever the
 * server cannot answer. It sends nothing to a server directory that another account could
 * have changed ({@link ServerDirectory}, checked here in bash with one {@code stat}), and never
 * starts a server in one. When the directory is sound but no server answers, it starts one for
 * the pushes after this.
 *
 * @param bash             absolute path of bash found at install time
 * @param java             absolute path of java
 * @param hookJvmOptions   start-up flags of the JVM that judges here
 * @param jar              the installed jar
 * @param hookArguments    options passed on to {@code stagegate pre-receive}, here and in the server
 * @param serverJvmOptions start-up flags for the server's JVM
 * @param directory        the server's directory
 * @param client           how the script reaches the socket
 * @param clientProgram    absolute path of the client's program
 * @param deadline         the hook's own deadline: the server judges no longer than this
 */
public record ServerHookScript(Path bash, Path java, List<String> hookJvmOptions, Path jar, List<String> hookArguments,
        List<String> serverJvmOptions, ServerDirectory directory, SocketClient client, Path clientProgram,
        Duration deadline) {

    public ServerHookScript {
        hookJvmOptions = List.copyOf(hookJvmOptions);
        hookArguments = List.copyOf(hookArguments);
        serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    /**
     * How long the script waits for a verdict once the server may have the push: the deadline
     * and two seconds for the answer to travel. Past it the push is rejected, since judging it
     * here too would miss the host's budget.
     */
    int answerSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, (deadline.toMillis() + 999) / 1000 + 2);
    }

    public String render() {
        String arguments = hookArguments.stream().map(HookShell::quote).collect(Collectors.joining(" "));
        List<String> serve = new ArrayList<>();
        // a clean environment: the server outlives this push, and must not keep its pusher's variables
        serve.addAll(List.of("env", "-i", "PATH=\"$PATH\"", "HOME=\"${HOME:-/}\"", "LANG=C.UTF-8", "\"$java\""));
        serverJvmOptions.stream().map(HookShell::quote).forEach(serve::add);
        serve.addAll(List.of("-jar", "\"$jar\"", "hook", "serve", "--dir", "\"$server\""));
        List<String> here = new ArrayList<>();
        here.add("\"$java\"");
        hookJvmOptions.stream().map(HookShell::quote).forEach(here::add);
        here.addAll(List.of("-jar", "\"$jar\"", "pre-receive", "\"${arguments[@]}\""));
        String silentServer = client.tellsSilenceFromAbsence()
                ? "[ \"$client_status\" = " + SocketClient.NO_ANSWER + " ]"
                : "[ \"$SECONDS\" -ge $((wait - 1)) ]";
        return "#!" + bash + "\n"
                + HookShell.MARKER + "\n"
                + "# Written by 'stagegate hook install --server'; run it again to change this hook rather than editing it.\n"
                + "# Git passes the pushed updates on stdin; exit status 0 accepts the push. The push is judged by\n"
                + "# the resident server when its directory is this account's alone and it answers; in every other\n"
                + "# case by the JVM started below, exactly as without a server (docs/hook-install.md). The one\n"
                + "# exception: a server that took the push and gives no verdict in time fails it closed.\n"
                + "LC_ALL=C\n"
                + "# a client that exits before reading the request must not kill this script\n"
                + "trap '' PIPE\n"
                + "java=" + HookShell.quote(java.toString()) + "\n"
                + "jar=" + HookShell.quote(jar.toString()) + "\n"
                + "server=" + HookShell.quote(directory.path().toString()) + "\n"
                + "socket=\"$server/" + ServerDirectory.SOCKET_FILE + "\"\n"
                + "wait=" + answerSeconds() + "\n"
                + "arguments=(" + arguments + ")\n"
                + "judge_here() {\n"
                + "  trap - PIPE\n"
                + "  printf '%s' \"$input\" | " + String.join(" ", here) + "\n"
                + "  exit $?\n"
                + "}\n"
                + "# in its own session and in the server directory (where a JVM crash log would land), detached\n"
                + "# from git's pipes, its log owner-only; the server's lock makes a second one exit at once\n"
                + "start_server() {\n"
                + "  ( umask 077; cd \"$server\" || exit; session=; command -v setsid >/dev/null && session=setsid\n"
                + "    $session " + String.join(" ", serve) + " </dev/null >>" + ServerDirectory.LOG_FILE
                + " 2>&1 & ) 2>/dev/null\n"
                + "}\n"
                + "# The server directory and every directory above it, as lstat sees them: the directory must be\n"
                + "# this account's and writable by no one else, each parent root's or this account's and not\n"
                + "# writable by others unless sticky. Otherwise another account could have put its own socket there.\n"
                + "trusted() {\n"
                + "  local path=$server paths=(\"$server\") listing uid mode type first=1\n"
                + "  while [ -n \"$path\" ] && [ \"$path\" != / ]; do path=${path%/*}; paths+=(\"${path:-/}\"); done\n"
                + "  listing=$(stat -c '%u %a %F' -- \"${paths[@]}\" 2>/dev/null) || return 1\n"
                + "  while read -r uid mode type; do\n"
                + "    [ \"$type\" = directory ] || return 1\n"
                + "    case $mode in ''|*[!0-7]*) return 1 ;; esac\n"
                + "    if [ $first = 1 ]; then\n"
                + "      first=0\n"
                + "      [ \"$uid\" = \"$EUID\" ] && (( (8#$mode & 8#022) == 0 )) || return 1\n"
                + "    else\n"
                + "      { [ \"$uid\" = 0 ] || [ \"$uid\" = \"$EUID\" ]; } && (( (8#$mode & 8#022) == 0 || (8#$mode & 8#1000) != 0 ))"
                + " || return 1\n"
                + "    fi\n"
                + "  done <<<\"$listing\"\n"
                + "}\n"
                + "# the request goes out in one write, so the server sees it whole at once\n"
                + "request=" + HookProtocol.REQUEST + "$'\\n'\n"
                + "field() {\n"
                + "  printf -v piece '%s %d\\n%s\\n' \"$1\" \"${#2}\" \"$2\"\n"
                + "  request+=$piece\n"
                + "}\n"
                + "IFS= read -r -d '' input\n"
                + "[ -r /proc/self/environ ] || judge_here\n"
                + "[ -e \"$server\" ] || mkdir -p -m 700 \"$server\" 2>/dev/null\n"
                + "trusted || judge_here\n"
                + "[ -S \"$socket\" ] && [ ! -L \"$socket\" ] && [ -O \"$socket\" ] || { start_server; judge_here; }\n"
                + "field cwd \"$PWD\"\n"
                + "field jar \"$jar\"\n"
                + "field deadline " + deadline.toMillis() + "\n"
                + "for argument in \"${arguments[@]}\"; do field arg \"$argument\"; done\n"
                + "while IFS= read -r -d '' variable; do field env \"$variable\"; done </proc/self/environ\n"
                + "field stdin \"$input\"\n"
                + "request+=" + HookProtocol.END + "$'\\n'\n"
                + "SECONDS=0\n"
                + "# the last word is the client's exit status; it also keeps the answer's trailing newlines\n"
                + "answer=$(printf '%s' \"$request\" 2>/dev/null | " + client.command(clientProgram) + " 2>/dev/null;"
                + " printf ' %d' \"$?\")\n"
                + "client_status=${answer##* }\n"
                + "answer=${answer% *}\n"
                + "header=${answer%%$'\\n'*}\n"
                + "body=${answer#\"$header\"}\n"
                + "body=${body#$'\\n'}\n"
                + "set -f\n"
                + "set -- $header\n"
                + "set +f\n"
                + "if [ \"$1\" = " + HookProtocol.VERDICT + " ] && [ $# -eq 3 ] && [ \"$answer\" != \"$header\" ]; then\n"
                + "  case $2 in 0|1|2|3) ;; *) judge_here ;; esac\n"
                + "  case $3 in ''|*[!0-9]*) judge_here ;; esac\n"
                + "  if [ \"${#body}\" -eq \"$3\" ]; then\n"
                + "    printf '%s' \"$body\"\n"
                + "    exit \"$2\"\n"
                + "  fi\n"
                + "fi\n"
                + "[ \"$1\" = " + HookProtocol.DECLINE + " ] && judge_here\n"
                + "if " + silentServer + "; then\n"
                + "  echo \"stagegate: the hook server in $server gave no verdict within ${wait}s; push rejected (fail closed)\"\n"
                + "  exit 3\n"
                + "fi\n"
                + "[ -n \"$answer\" ] || start_server\n"
                + "judge_here\n";
    }
}
