package org.jovs.worker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A tiny daemon for WorkerExitTest: queues args[1] log-style lines for a worker that appends them
 * to args[0], closes the channel and exits at once, printing "worker-pid N unacked U" (U: requests
 * the worker had not yet acknowledged when the main process left). The worker holds back before
 * line args[3] until the file args[2] exists.
 */
public final class ExitWithQueueMain {
    private ExitWithQueueMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerClient client = new WorkerClient(new WorkerOptions().property(TestHandlers.APPEND_FILE, args[0])
                .property(TestHandlers.GATE, args[2]).property(TestHandlers.GATE_AT, args[3]));
        client.register(TestHandlers.APPEND_LINE, DeathPolicy.REPLAY);
        client.start();
        int n = Integer.parseInt(args[1]);
        for (int i = 0; i < n; i++) {
            client.request(TestHandlers.APPEND_LINE,
                    ByteBuffer.wrap(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        long pid = client.pid();
        client.close();
        System.out.println("worker-pid " + pid + " unacked " + client.queuedRequests());
        System.out.flush();
        System.exit(0);
    }
}
