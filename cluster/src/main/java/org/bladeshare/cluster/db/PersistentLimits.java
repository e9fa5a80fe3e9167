package org.bladeshare.cluster.db;

import java.nio.charset.StandardCharsets;

/** What one persistent transaction may hold; checked on the writer before anything is sent. */
public final class PersistentLimits {
    /** Bytes of a key in UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Bytes of one value. */
    public static final int MAX_VALUE_BYTES = 16 << 20;
    /** Bytes of every key and value one transaction changes, together. */
    public static final long MAX_TRANSACTION_BYTES = 64L << 20;
    /** Runs of a transaction's body when other writers keep changing what it read. */
    public static final int MAX_ATTEMPTS = 100;

    private PersistentLimits() {
    }

    /** The key's UTF-8 size, or an IllegalArgumentException saying what is wrong with it. */
    static int requireKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("key has an unpaired UTF-16 surrogate at index " + i
                        + " (not representable in UTF-8)");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + bytes + " bytes exceeds " + MAX_KEY_BYTES + " bytes");
        }
        return bytes;
    }

    static void requireValue(String key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value of " + key + " must not be null (use delete)");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value of " + key + " has " + value.length + " bytes, more than "
                    + MAX_VALUE_BYTES);
        }
    }
}
