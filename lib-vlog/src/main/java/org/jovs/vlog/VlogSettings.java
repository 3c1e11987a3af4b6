package org.jovs.vlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The vlog configuration of one process: the module table with per-destination levels, the
 * levels a module gets when it first appears, the pattern of each destination, and the syslog
 * facility. Parses OVS level specs ({@code -v}, {@code vlog/set}) and renders {@code vlog/list}
 * and {@code vlog/list-pattern} byte for byte as OVS 3.1 does.
 *
 * <p>Plain data and logic, no I/O, no Logback: command-line clients that do their own logging
 * use it without an engine. Not thread-safe: the engine calls it under its lock. Every level
 * change is reported to 'levelsChanged' with the module, or null when defaults or many modules
 * changed, so the engine can adjust Logback's levels.
 */
public final class VlogSettings {
    private static final String SEPARATORS = " ,:\t";

    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final Level[] defaults = {Level.INFO, Level.INFO, Level.INFO};
    private boolean defaultHonorRateLimits = true;
    private final LogPattern[] patterns = new LogPattern[Destination.values().length];
    private int facility;
    private boolean fileOpen;
    private final Consumer<Module> levelsChanged;

    /**
     * Settings for a process that does its own logging, without an engine: its modules are
     * 'moduleNames', at the default levels, and level changes concern nobody else.
     */
    public VlogSettings(Collection<String> moduleNames) {
        this(m -> { });
        for (String name : moduleNames) {
            module(name);
        }
    }

    VlogSettings(Consumer<Module> levelsChanged) {
        this.levelsChanged = levelsChanged;
        for (Destination d : Destination.values()) {
            patterns[d.ordinal()] = new LogPattern(d.defaultPattern);
        }
    }

    /** The module named 'name' (any case), created with the default levels if it is new. */
    Module module(String name) {
        Module m = find(name);
        if (m == null) {
            m = new Module(name, defaults, defaultHonorRateLimits);
            modules.put(name.toLowerCase(Locale.ROOT), m);
        }
        return m;
    }

    /** The module named 'name' in any case, or null. */
    Module find(String name) {
        return modules.get(name.toLowerCase(Locale.ROOT));
    }

    List<Module> modules() {
        return new ArrayList<>(modules.values());
    }

    /** True if module 'moduleName', which must exist, logs messages of 'level' to 'd'. */
    public boolean enables(String moduleName, Destination d, Level level) {
        return find(moduleName).level(d).enables(level);
    }

    /**
     * The least severe level that 'm' logs anywhere: what Logback must let through. The file
     * counts only while a log file is open, as in OVS's update_min_level().
     */
    Level minLevel(Module m) {
        return minLevel(m.levels);
    }

    /** {@link #minLevel(Module)} for a module that does not exist yet. */
    Level defaultMinLevel() {
        return minLevel(defaults);
    }

    private Level minLevel(Level[] levels) {
        Level min = Level.OFF;
        for (Destination d : Destination.values()) {
            Level l = levels[d.ordinal()];
            if ((d != Destination.FILE || fileOpen) && l.compareTo(min) > 0) {
                min = l;
            }
        }
        return min;
    }

    void setFileOpen(boolean open) {
        if (open != fileOpen) {
            fileOpen = open;
            levelsChanged.accept(null);
        }
    }

    public LogPattern pattern(Destination d) {
        return patterns[d.ordinal()];
    }

    /** Syslog facility code set by FACILITY:name, or 0 for the default. */
    public int facility() {
        return facility;
    }

    /**
     * Sets levels for 'module' (all modules and the defaults if null) at 'destination' (all if
     * null).
     */
    void setLevels(Module module, Destination destination, Level level) {
        for (Destination d : Destination.values()) {
            if (destination != null && d != destination) {
                continue;
            }
            if (module == null) {
                defaults[d.ordinal()] = level;
                for (Module m : modules.values()) {
                    m.levels[d.ordinal()] = level;
                }
            } else {
                module.levels[d.ordinal()] = level;
            }
        }
        levelsChanged.accept(module);
    }

    /**
     * -v/--verbose: applies 'spec' as {@link #apply} does, or sets dbg everywhere if it is null.
     * Throws with the text OVS prints after "PROGRAM: " for a bad spec.
     */
    public void setVerbosity(String spec) throws VlogException {
        if (spec == null) {
            setLevels(null, null, Level.DBG);
            return;
        }
        String error = apply(spec);
        if (error != null) {
            throw new VlogException("processing \"" + spec + "\": " + error);
        }
    }

    /**
     * Applies one spec as OVS's vlog_set_levels_from_string() does: "PATTERN:dest:pattern",
     * "FACILITY:name", or up to one each of module, destination and level separated by spaces,
     * commas, colons or tabs ("any" ignored; missing level = dbg; missing module or destination =
     * all). Returns null on success, else OVS's error text; nothing changes on error.
     */
    String apply(String spec) {
        Words words = new Words(spec);
        String word = words.next();
        if ("PATTERN".equalsIgnoreCase(word)) {
            word = words.next();
            if (word == null) {
                return "missing destination";
            }
            Destination d = Destination.fromName(word);
            if (d == null && !word.equalsIgnoreCase("ANY")) {
                return "unknown destination \"" + word + "\"";
            }
            LogPattern p = new LogPattern(words.rest());
            for (Destination x : Destination.values()) {
                if (d == null || d == x) {
                    patterns[x.ordinal()] = p;
                }
            }
            return null;
        } else if ("FACILITY".equalsIgnoreCase(word)) {
            Integer value = Syslog.facilityFromName(words.rest());
            if (value == null) {
                return "invalid facility";
            }
            facility = value;
            return null;
        }
        Module module = null;
        Level level = null;
        Destination destination = null;
        for (; word != null; word = words.next()) {
            if (word.equalsIgnoreCase("ANY")) {
                continue;
            } else if (Destination.fromName(word) != null) {
                if (destination != null) {
                    return "cannot specify multiple destinations";
                }
                destination = Destination.fromName(word);
            } else if (Level.fromName(word) != null) {
                if (level != null) {
                    return "cannot specify multiple levels";
                }
                level = Level.fromName(word);
            } else if (find(word) != null) {
                if (module != null) {
                    return "cannot specify multiple modules";
                }
                module = find(word);
            } else {
                return "no destination, level, or module \"" + word + "\"";
            }
        }
        setLevels(module, destination, level == null ? Level.DBG : level);
        return null;
    }

    /**
     * vlog/enable-rate-limit and vlog/disable-rate-limit: 'names' are modules or "any"; none
     * means all. Returns null or OVS's error text (modules before the bad name stay changed).
     */
    String setRateLimits(List<String> names, boolean enable) {
        if (names.isEmpty()) {
            setAllRateLimits(enable);
        }
        for (String name : names) {
            if (name.equalsIgnoreCase("ANY")) {
                setAllRateLimits(enable);
            } else {
                Module m = find(name);
                if (m == null) {
                    return "unknown module";
                }
                m.honorRateLimits = enable;
            }
        }
        return null;
    }

    private void setAllRateLimits(boolean enable) {
        defaultHonorRateLimits = enable;
        for (Module m : modules.values()) {
            m.honorRateLimits = enable;
        }
    }

    /**
     * Everything this class holds except whether a file is open, as JSON-ready data (maps, lists,
     * strings, numbers, booleans), for the worker process's vlog: see {@link #restore}.
     */
    Map<String, Object> snapshot() {
        Map<String, Object> levels = new LinkedHashMap<>();
        for (Module m : modules.values()) {
            levels.put(m.name, levelNames(m.levels));
        }
        List<String> noRateLimit = new ArrayList<>();
        for (Module m : modules.values()) {
            if (!m.honorRateLimits) {
                noRateLimit.add(m.name);
            }
        }
        List<String> patternTexts = new ArrayList<>();
        for (LogPattern p : patterns) {
            patternTexts.add(p.toString());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("defaults", levelNames(defaults));
        s.put("default-rate-limit", defaultHonorRateLimits);
        s.put("levels", levels);
        s.put("no-rate-limit", noRateLimit);
        s.put("patterns", patternTexts);
        s.put("facility", (long) facility);
        return s;
    }

    /** Makes these settings those of {@link #snapshot()}'s 's', creating modules as needed. */
    void restore(Map<?, ?> s) {
        setLevelArray(defaults, (List<?>) s.get("defaults"));
        defaultHonorRateLimits = Boolean.TRUE.equals(s.get("default-rate-limit"));
        for (Module m : modules.values()) {
            System.arraycopy(defaults, 0, m.levels, 0, defaults.length);
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) s.get("levels")).entrySet()) {
            setLevelArray(module((String) e.getKey()).levels, (List<?>) e.getValue());
        }
        List<?> noRateLimit = (List<?>) s.get("no-rate-limit");
        for (Module m : modules.values()) {
            m.honorRateLimits = !noRateLimit.contains(m.name);
        }
        List<?> patternTexts = (List<?>) s.get("patterns");
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = new LogPattern((String) patternTexts.get(i));
        }
        facility = ((Number) s.get("facility")).intValue();
        levelsChanged.accept(null);
    }

    private static List<String> levelNames(Level[] levels) {
        List<String> names = new ArrayList<>();
        for (Level l : levels) {
            names.add(l.name());
        }
        return names;
    }

    private static void setLevelArray(Level[] dst, List<?> names) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = Level.valueOf((String) names.get(i));
        }
    }

    /** vlog/list output. */
    String levelsTable() {
        List<String> lines = new ArrayList<>();
        for (Module m : modules.values()) {
            String line = String.format("%-16s  %4s       %4s       %4s", m.name,
                    m.level(Destination.CONSOLE), m.level(Destination.SYSLOG),
                    m.level(Destination.FILE));
            if (!m.honorRateLimits) {
                line += "    (rate limiting disabled)";
            }
            lines.add(line + "\n");
        }
        Collections.sort(lines);
        StringBuilder sb = new StringBuilder();
        sb.append("                 console    syslog    file\n");
        sb.append("                 -------    ------    ------\n");
        lines.forEach(sb::append);
        return sb.toString();
    }

    /** vlog/list-pattern output; 'syslogPrefix' is what the syslog method prepends. */
    String patternsTable(String syslogPrefix) {
        StringBuilder sb = new StringBuilder();
        sb.append("         prefix                            format\n");
        sb.append("         ------                            ------\n");
        for (Destination d : Destination.values()) {
            String prefix = d == Destination.SYSLOG ? syslogPrefix : "none";
            sb.append(String.format("%-7s  %-32s  %s\n", d.name(), prefix, pattern(d)));
        }
        return sb.toString();
    }

    /** strtok_r() over the separators, keeping access to the unparsed rest as OVS does. */
    private static final class Words {
        private final String s;
        private int pos;

        Words(String s) {
            this.s = s;
        }

        String next() {
            while (pos < s.length() && SEPARATORS.indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos >= s.length()) {
                return null;
            }
            int start = pos;
            while (pos < s.length() && SEPARATORS.indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String word = s.substring(start, pos);
            if (pos < s.length()) {
                pos++;
            }
            return word;
        }

        /** Everything after the separator that ended the last word. */
        String rest() {
            return s.substring(pos);
        }
    }
}
