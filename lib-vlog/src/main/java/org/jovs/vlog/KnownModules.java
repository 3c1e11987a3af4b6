package org.jovs.vlog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The vlog modules a program knows before any of its code logs, so that {@code -v} and
 * {@code vlog/set} accept them and {@code vlog/list} shows them from the start, as in OVS, where
 * every C file linked into a program declares its module:
 * <ul>
 * <li>{@link #ovs}: OVS 3.1's modules of one program, from the resource
 * {@code org/jovs/vlog/PROGRAM.modules} (where it came from is said in the file). The program
 * registers them ({@link Vlog#declareModules}) before it configures logging.
 * <li>{@link #declared}: the modules each jar on the class path declares in
 * {@code META-INF/jovs/vlog-modules}, jovs's own among them (e.g. "config"), which an engine
 * registers when it is installed.
 * </ul>
 * Both resource formats: one name a line; blank lines and lines starting with '#' are ignored.
 *
 * <p>Needs no Logback: a command-line parser calls {@link #checkVerbosity} while it parses, before
 * the daemon detaches and configures logging.
 */
public final class KnownModules {
    /** Resource listing module names a jar declares, one per line, so that -v can name them. */
    static final String DECLARED_RESOURCE = "META-INF/jovs/vlog-modules";

    private KnownModules() {
    }

    /**
     * OVS 3.1's vlog modules of 'program' (e.g. "ovs-vswitchd"), in the order its vlog/list
     * prints them. Throws IllegalArgumentException if jovs has no list for 'program'.
     */
    public static List<String> ovs(String program) {
        String name = program + ".modules";
        try (InputStream in = KnownModules.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no vlog module list for " + program);
            }
            List<String> names = new ArrayList<>();
            read(in, names);
            return names;
        } catch (IOException e) {
            // The resource is inside our own jar: failing to read it is a broken installation.
            throw new UncheckedIOException(name, e);
        }
    }

    /** The module names that the jars on 'loader''s class path declare, each once. */
    static Set<String> declared(ClassLoader loader) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Enumeration<URL> urls = loader.getResources(DECLARED_RESOURCE);
        while (urls.hasMoreElements()) {
            try (InputStream in = urls.nextElement().openStream()) {
                read(in, names);
            }
        }
        return names;
    }

    private static void read(InputStream in, Collection<String> names) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line);
            }
        }
    }

    /**
     * What {@code -v spec} ('spec' null for a bare -v) would do to a program that registers
     * 'programModules' as well as the {@link #declared} ones, without configuring logging: throws
     * with OVS's text (to print after "PROGRAM: ", then exit 1) if the spec is bad. OVS rejects a
     * bad spec while it parses the command line, in order with the other options and before it
     * detaches; the parser calls this for each -v to do the same.
     */
    public static void checkVerbosity(List<String> programModules, String spec)
            throws VlogException {
        Set<String> names = new LinkedHashSet<>(programModules);
        try {
            names.addAll(declared(KnownModules.class.getClassLoader()));
        } catch (IOException e) {
            // The engine reports an unreadable declaration when it is installed; a module named
            // only there is then unknown to it as well, which the spec's check below says.
        }
        new VlogSettings(names).setVerbosity(spec);
    }
}
