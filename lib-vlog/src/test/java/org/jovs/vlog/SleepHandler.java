package org.jovs.vlog;

import org.jovs.worker.WorkerHandler;
import org.jovs.worker.WorkerRequest;

/**
 * Test worker handler 1000: sleeps for the number of milliseconds in its payload (a long), so
 * that tests can hold log requests unacknowledged behind it.
 */
public final class SleepHandler implements WorkerHandler {
    static final int ID = 1000;

    @Override
    public int id() {
        return ID;
    }

    @Override
    public void handle(WorkerRequest request) throws Exception {
        Thread.sleep(request.payload().getLong(request.payload().position()));
    }
}
