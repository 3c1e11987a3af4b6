package org.jovs.vswitchd.config;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the Open_vSwitch "statistics" column's system statistics (cpu, load_average, memory,
 * process_NAME, file_systems) are gathered: somewhere allowed to block, the worker process in
 * OVS 1.9's design, since reading file system statistics can hang.
 */
public interface SystemStatsSource {
    /**
     * Starts gathering and delivers the result to 'reply' on the main thread, from a later
     * main-loop iteration or at once; null if gathering failed. Never blocks the caller.
     */
    void request(Consumer<Map<String, String>> reply);
}
