package org.bladeshare.tests.torture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of one smbtorture suite (the suite's own closing line counts as one outcome, as
 * in smbtorture's and Samba's published counts), read from its subunit-like output lines
 * ({@code success: NAME}, {@code failure: NAME [}, {@code error: NAME}, {@code skip: NAME}).
 */
public record TortureRun(String suite, Map<String, String> outcomes, int exit, long seconds) {

    public static TortureRun parse(String suite, String output, int exit, long seconds) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            for (String kind : new String[]{"success", "failure", "error", "skip"}) {
                if (line.startsWith(kind + ": ")) {
                    String name = line.substring(kind.length() + 2).replaceFirst("\\s*\\[.*$", "").strip();
                    outcomes.put(name, kind);
                }
            }
        }
        return new TortureRun(suite, outcomes, exit, seconds);
    }

    public Set<String> passed() {
        Set<String> out = new TreeSet<>();
        outcomes.forEach((k, v) -> {
            if (v.equals("success")) {
                out.add(k);
            }
        });
        return out;
    }

    public long count(String kind) {
        return outcomes.values().stream().filter(kind::equals).count();
    }

    public String summary() {
        return String.format("%s %d %d %d %ds", suite, count("success"), count("failure") + count("error"), count("skip"), seconds);
    }
}
