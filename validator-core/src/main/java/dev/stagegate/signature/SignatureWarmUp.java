package dev.stagegate.signature;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Readies signature checking on a second core while the push is judged on the first. A JVM's
 * first signature check pays for the JDK's provider framework and its Ed25519 set-up, some 20
 * ms of a cold hook's push, whereas the push itself spends hundreds of milliseconds on trees
 * and history before it meets a signed record. Once per process, in a daemon thread that
 * checks a fixed signature; its verdict is thrown away.
 */
public final class SignatureWarmUp {

    /** A throwaway ed25519 key; its private half was deleted. */
    public static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID4T/TUuhVzZv4FCRy1+IER93bThSmAkkF2ApYwFZSh5";
    /** A signature that key made over another payload: checking it runs the whole verification, and fails. */
    public static final String SIGNATURE = "-----BEGIN SSH SIGNATURE-----\n"
            + "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgPhP9NS6FXNm/gUJHLX4gRH3dtO\n"
            + "FKYCSQXYCljAVlKHkAAAAJc3RhZ2VnYXRlAAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1l\n"
            + "ZDI1NTE5AAAAQCp/Qa6fd3NgMyK1CLohJEgQ9JFFc5Z58cEbp5jfpISJeicj/07qk2lJAv\n"
            + "wB0sIBRuR/B3lNyaf+A3DRFH2GRAI=\n-----END SSH SIGNATURE-----";
    private static final String RECORD = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\""
            + "0000000000000000000000000000000000000000\",\"environment\":\"production\",\"approver\":\"alice\","
            + "\"decision\":\"approved\",\"recordedAt\":\"2026-01-01T00:00:00Z\"}";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SignatureWarmUp() {
    }

    /** Starts the warm-up, unless this process started it before. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> RecordSignatures.verify(RECORD, SIGNATURE, "alice",
                Instant.parse("2026-01-01T00:00:00Z"), AllowedSigners.parse("alice " + KEY + "\n", "warm-up")),
                "stagegate-signature-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
