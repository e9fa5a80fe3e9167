package org.bladeshare.smb.server;

import java.nio.file.Path;

/**
 * A disk share as the engine serves it.
 *
 * @param name     share name as clients type it (compared case-insensitively)
 * @param path     directory the share exposes; nothing outside it is reachable
 * @param comment  remark shown in share lists
 * @param encrypt  refuse access that is not encrypted ([MS-SMB2] 3.3.5.7 EncryptData)
 * @param readOnly refuse writes
 */
public record ShareConfig(String name, Path path, String comment, boolean encrypt, boolean readOnly) {
}
