package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.*;

import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExploreTest {
    @TempDir Path dir;

    @Test
    void explore() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put(VALUES + "|unclosed", "replicas: [2\n".getBytes());
        cases.put(JSON_VALUES + "|truncated", "{\"replicas\": 2".getBytes());
        cases.put(VALUES + "|dup", "replicas: 1\nreplicas: 2\n".getBytes());
        cases.put(JSON_VALUES + "|dup", "{\"replicas\": 1,\n \"replicas\": 2}".getBytes());
        cases.put(VALUES + "|tab", "replicas:\n\t2\n".getBytes());
        cases.put(POLICY_FILE + "|unclosed", "environments: [\n".getBytes());
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) bomb.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
            bomb.append("]\n");
        }
        cases.put(VALUES + "|bomb", bomb.toString().getBytes());
        StringBuilder chain = new StringBuilder("a0: &a0 [x]\n");
        for (int i = 1; i < 2000; i++) chain.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append("]\n");
        cases.put(VALUES + "|chain", chain.toString().getBytes());
        cases.put(VALUES + "|deepflow", ("replicas: " + "[".repeat(10000) + "]".repeat(10000) + "\n").getBytes());
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 10000; i++) block.append(" ".repeat(i)).append("k:\n");
        cases.put(VALUES + "|deepblock", block.toString().getBytes());
        cases.put(JSON_VALUES + "|deepjson", ("{\"replicas\": " + "[".repeat(10000) + "]".repeat(10000) + "}").getBytes());
        cases.put(POLICY_FILE + "|deep", ("apiVersion: " + "[".repeat(10000) + "]".repeat(10000) + "\n").getBytes());
        byte[] big = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        cases.put(VALUES + "|50mb", big);
        cases.put(POLICY_FILE + "|50mb", big);
        cases.put("schemas/app-values.schema.json|50mb", big);
        cases.put(VALUES + "|utf8", "replicas: 2\nimage: \"web\u00e9\"\nname: bad\u0000".getBytes(StandardCharsets.ISO_8859_1));
        cases.put(VALUES + "|utf8b", new byte[] {'r', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
        cases.put(VALUES + "|binary", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        cases.put(JSON_VALUES + "|utf16", "{\"replicas\": 2}".getBytes(StandardCharsets.UTF_16));
        cases.put(POLICY_FILE + "|utf8", new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
        cases.put(POLICY_FILE + "|unknownfield", GitOpsFixture.POLICY.replace("  - name: testing\n", "  - name: testing\n    colour: red\n").getBytes());
        cases.put(POLICY_FILE + "|unknowntop", (GitOpsFixture.POLICY + "colour: red\n").getBytes());
        cases.put(POLICY_FILE + "|selfref", GitOpsFixture.POLICY.replace("promotesFrom: development", "promotesFrom: testing").getBytes());
        cases.put(POLICY_FILE + "|cycle", GitOpsFixture.POLICY.replace("  - name: development\n    branch: develop\n", "  - name: development\n    branch: develop\n    promotesFrom: production\n").getBytes());
        cases.put(POLICY_FILE + "|aliasself", "environments: &e [*e]\n".getBytes());
        cases.put(POLICY_FILE + "|envspecific", GitOpsFixture.POLICY.replace("  - \"env/**\"\n", "  - \"env/**\"\n  - \".stagegate/**\"\n").getBytes());
        for (Map.Entry<String, byte[]> e : cases.entrySet()) {
            String[] p = e.getKey().split("\\|");
            try (GitOpsFixture gitops = repository(dir.resolve(p[1] + p[0].replace('/', '_')))) {
                long t = System.nanoTime();
                Outcome o = pushToDevelop(gitops, p[0], e.getValue());
                System.out.println("=== " + e.getKey() + " status=" + o.status() + " ms=" + (System.nanoTime() - t) / 1_000_000);
                o.verdict().violations().forEach(v -> System.out.println("  " + v.rule() + " " + v.severity() + " " + v.fileLocation() + " | " + v.message()));
                o.verdict().notes().forEach(n -> System.out.println("  note: " + n));
                o.cause().ifPresent(c -> c.printStackTrace(System.out));
            }
        }
    }
}
