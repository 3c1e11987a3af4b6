package org.jovs.worker;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Entry point of the worker process, started by {@link WorkerClient} as
 * {@code java ... org.jovs.worker.WorkerMain worker process for pid N}; the trailing words only
 * make ps show what the process is. Its stdin is the worker socket.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        Thread.currentThread().setName("worker");
        /* A terminal's ^C or hangup reaches the whole process group. The worker leaves the decision
         * to the main process and ends when the channel does, after running what is buffered. */
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
        new WorkerProcess(0).serve();
    }
}
