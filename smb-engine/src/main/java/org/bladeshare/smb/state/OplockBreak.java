package org.bladeshare.smb.state;

/**
 * An oplock break the engine must send to {@code owner.address()} ([MS-SMB2] 2.2.23.1, 3.3.4.6);
 * {@code ackRequired} is false for a level II break to none, which needs no acknowledgement.
 */
public record OplockBreak(FileKey file, OpenOwner owner, int fromLevel, int toLevel, long deadline,
                          boolean ackRequired) {
}
