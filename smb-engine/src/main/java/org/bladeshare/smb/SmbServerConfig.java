package org.bladeshare.smb;

import java.net.InetAddress;
import java.util.UUID;

/**
 * How the engine listens and what it says about itself.
 *
 * @param bind            client-facing address
 * @param port            TCP port (445 in production)
 * @param serverName      NetBIOS/DNS name the server reports in NTLM challenges
 * @param serverGuid      the server's GUID ([MS-SMB2] 2.2.4 ServerGuid), the same on every blade
 * @param signingRequired require signed sessions ([MS-SMB2] 3.3.5.5); on by default
 */
public record SmbServerConfig(InetAddress bind, int port, String serverName, UUID serverGuid,
                              boolean signingRequired) {
}
