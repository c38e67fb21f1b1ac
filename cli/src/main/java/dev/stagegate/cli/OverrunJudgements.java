package dev.stagegate.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Judgements that missed their deadline and were abandoned. Java cannot stop a thread that
 * ignores interruption (a pushed schema's regex that backtracks for ever, say); a hook process
 * simply exits, but a resident server would keep burning a CPU, so it restarts instead.
 */
final class OverrunJudgements {

    private static final List<Thread> ABANDONED = new ArrayList<>();

    private OverrunJudgements() {
    }

    static synchronized void abandon(Thread worker) {
        worker.interrupt();
        ABANDONED.add(worker);
    }

    /** Whether a judgement abandoned at its deadline is still running. */
    static synchronized boolean anyStillRunning() {
        ABANDONED.removeIf(thread -> !thread.isAlive());
        return !ABANDONED.isEmpty();
    }
}
