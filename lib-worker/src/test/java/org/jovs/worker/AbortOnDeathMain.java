package org.jovs.worker;

import org.jovs.core.PollLoop;

/**
 * A tiny daemon for WorkerExitTest: starts a worker with FailureMode.ABORT, proves it answers,
 * prints "worker-pid N" and then runs its main loop until the worker's death aborts it.
 */
public final class AbortOnDeathMain {
    private AbortOnDeathMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerClient client = new WorkerClient(new WorkerOptions().failureMode(WorkerOptions.FailureMode.ABORT));
        client.register(TestHandlers.ECHO, DeathPolicy.REPLAY);
        client.start();
        PollLoop loop = new PollLoop();
        boolean[] answered = {false};
        client.request(TestHandlers.ECHO, null, r -> answered[0] = r.ok());
        for (;;) {
            client.run();
            if (answered[0]) {
                break;
            }
            client.waitFor(loop);
            loop.block();
        }
        System.out.println("worker-pid " + client.pid());
        System.out.flush();
        for (;;) {
            client.run();
            client.waitFor(loop);
            loop.block();
        }
    }
}
