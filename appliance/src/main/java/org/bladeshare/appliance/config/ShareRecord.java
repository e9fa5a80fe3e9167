package org.bladeshare.appliance.config;

/**
 * A share as stored in the persistent {@code shares} database.
 *
 * @param name     share name
 * @param path     absolute directory on the cluster filesystem
 * @param comment  remark shown in share lists
 * @param encrypt  refuse unencrypted access
 * @param readOnly refuse writes
 */
public record ShareRecord(String name, String path, String comment, boolean encrypt, boolean readOnly) {
}
