package org.bladeshare.smb.state;

import java.util.Optional;

/**
 * The outcome of a lease break acknowledgement ([MS-SMB2] 3.3.5.22.2): its status and, when the
 * acknowledged state still holds more than the opens that came meanwhile allow, the further break
 * to send (Windows and Samba break in steps: first to R, then to none; smbtorture smb2.lease.breaking3).
 */
public record LeaseAck(int status, Optional<LeaseBreak> followUp) {
    public LeaseAck {
        followUp = followUp == null ? Optional.empty() : followUp;
    }

    static LeaseAck of(int status) {
        return new LeaseAck(status, Optional.empty());
    }
}
