package org.bladeshare.smb.fscc;

import java.util.Locale;

/**
 * Name matching for QUERY_DIRECTORY patterns ([MS-FSA] 2.1.4.4): '*' and '?' plus the DOS forms
 * '&lt;' (DOS_STAR), '&gt;' (DOS_QM) and '"' (DOS_DOT), compared case-insensitively.
 */
public final class Wildcard {
    private Wildcard() {
    }

    public static boolean matches(String pattern, String name) {
        if (pattern.isEmpty() || pattern.equals("*") || pattern.equals("*.*") || pattern.equals("<.*")) {
            return true;
        }
        String p = pattern.toUpperCase(Locale.ROOT);
        String n = name.toUpperCase(Locale.ROOT);
        if (p.length() > 4096) {
            return false;
        }
        return match(p, n);
    }

    /** Dynamic programming over (pattern position, name position): O(|p|·|n|), no backtracking. */
    private static boolean match(String p, String n) {
        int lastDot = n.lastIndexOf('.');
        boolean[] next = new boolean[n.length() + 1]; // row for pattern suffix i+1
        boolean[] cur = new boolean[n.length() + 1];
        next[n.length()] = true; // empty pattern matches empty name
        for (int i = p.length() - 1; i >= 0; i--) {
            char c = p.charAt(i);
            for (int j = n.length(); j >= 0; j--) {
                boolean m;
                switch (c) {
                    case '*' -> m = next[j] || (j < n.length() && cur[j + 1]);
                    case '<' -> m = next[j] || (j < n.length() && j != lastDot && cur[j + 1]
                        && !(lastDot >= 0 && j > lastDot));
                    case '?' -> m = j < n.length() && next[j + 1];
                    case '>' -> m = (j < n.length() && n.charAt(j) != '.' && next[j + 1])
                        || ((j == n.length() || n.charAt(j) == '.') && next[j]);
                    case '"' -> m = (j < n.length() && n.charAt(j) == '.' && next[j + 1]) || (j == n.length() && next[j]);
                    default -> m = j < n.length() && n.charAt(j) == c && next[j + 1];
                }
                cur[j] = m;
            }
            boolean[] t = next;
            next = cur;
            cur = t;
            java.util.Arrays.fill(cur, false);
        }
        return next[0];
    }
}
