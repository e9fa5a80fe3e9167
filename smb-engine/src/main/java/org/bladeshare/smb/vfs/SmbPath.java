package org.bladeshare.smb.vfs;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;

/** Turns an SMB2 path ("dir\\file.txt") into a share-relative VFS path ("dir/file.txt"), or refuses it. */
public final class SmbPath {
    private SmbPath() {
    }

    public static String normalize(String smbName) {
        String name = smbName;
        if (name.endsWith("::$DATA")) {
            name = name.substring(0, name.length() - 7);
        }
        if (name.startsWith("\\") || name.startsWith("/")) {
            // [MS-SMB2] 3.3.5.9: a name that starts with a separator is an invalid parameter
            throw new NtStatusException(NtStatus.INVALID_PARAMETER, "absolute path");
        }
        StringBuilder out = new StringBuilder();
        for (String part : name.split("\\\\", -1)) {
            if (part.isEmpty()) {
                continue; // trailing or doubled separators
            }
            if (part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                // as Windows and Samba: "a\\.." names a's parent; a path above the share root is refused
                int cut = out.lastIndexOf("/");
                if (out.isEmpty()) {
                    throw new NtStatusException(NtStatus.OBJECT_PATH_SYNTAX_BAD, "relative component above the share");
                }
                out.setLength(Math.max(cut, 0));
                continue;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < 0x20 || c == '/' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>'
                    || c == '|') {
                    throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "invalid character");
                }
            }
            if (part.length() > 255) {
                throw new NtStatusException(NtStatus.OBJECT_NAME_INVALID, "component too long");
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    public static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    public static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
