package org.bladeshare.smb.auth;

import java.util.Optional;

/**
 * The engine's port to the user database. NTLMv2 [MS-NLMP] 3.3.2 needs the NT one-way
 * function of the password (MD4 of its UTF-16LE bytes), never the password itself.
 */
public interface UserDirectory {
    /** The NT hash (16 bytes) of the user's password, if the user exists. Names compare case-insensitively. */
    Optional<byte[]> ntHash(String userName);
}
