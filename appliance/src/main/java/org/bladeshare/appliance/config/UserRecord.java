package org.bladeshare.appliance.config;

/**
 * An SMB user as stored in the persistent {@code users} database.
 *
 * @param name      account name
 * @param ntHash    hex of the NT one-way function of the password ([MS-NLMP] 3.3.1 NTOWFv1), all NTLMv2 needs
 * @param createdAt ISO-8601 instant of creation
 */
public record UserRecord(String name, String ntHash, String createdAt) {
}
