package org.jovs.worker;

import java.util.Map;

/**
 * Code that runs requests, identified by a stable numeric id.
 *
 * <p>In the worker process, implementations are found with {@link java.util.ServiceLoader} (list
 * them in {@code META-INF/services/org.jovs.worker.WorkerHandler}; they need a public no-argument
 * constructor). Each module brings its own. The worker process is single-threaded: it calls
 * {@link #handle} for one request at a time, in submission order, and each call may block (that is
 * what the worker is for).
 *
 * <p>In the main process, an implementation can also be registered with
 * {@link WorkerClient#register(int, WorkerHandler)} as the inline fallback of policy
 * {@link DeathPolicy#INLINE}: the client then calls it directly for requests that a dead worker did
 * not complete.
 *
 * <p>Ids are 1..65535 and must be unique among the handlers on the classpath. Project modules use
 * 1..999 (each module documents its ids next to its handler); tests use 1000 and up.
 */
public interface WorkerHandler {
    /** This handler's id, the same in both processes. */
    int id();

    /**
     * Called once in the worker process, before any request, with the startup properties the main
     * process configured ({@link WorkerOptions#property}). An exception ends the worker.
     */
    default void init(Map<String, String> properties) throws Exception {
    }

    /**
     * Runs one request. If {@link WorkerRequest#wantsReply()}, the handler must call
     * {@link WorkerRequest#reply} exactly once before returning; otherwise it must not call it.
     * The handler owns {@link WorkerRequest#fds()} and must close them. An exception, or a broken
     * reply rule, ends the worker process with exit status 1, and the main process treats that as
     * a worker death.
     */
    void handle(WorkerRequest request) throws Exception;
}
