package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;
import org.bladeshare.cluster.db.Transaction;
import org.bouncycastle.crypto.digests.MD4Digest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SMB users, cluster-wide. Keys are lower-cased names, since Windows compares account names
 * case-insensitively. Only the NT hash is kept: the password itself never reaches a disk.
 */
public final class UserStore {
    public static final String DB = "users";
    private final PersistentDb db;

    public UserStore(PersistentDb db) {
        this.db = db;
    }

    /** Adds a new user; refuses a name that exists (checked and written in one transaction, so two nodes cannot both add it). */
    public UserRecord add(String name, String password) {
        Names.user(name);
        byte[] hash = ntHashOf(password);
        return db.transaction(tx -> {
            if (tx.get(key(name)).isPresent()) {
                throw new IllegalArgumentException("user '" + name + "' exists already: use 'bladectl user passwd' to change the password");
            }
            return store(tx, new UserRecord(name, HexFormat.of().formatHex(hash), Instant.now().toString()));
        });
    }

    /** Sets the password of a user, creating the user when missing; keeps the name's spelling and creation time. */
    public UserRecord setPassword(String name, String password) {
        Names.user(name);
        byte[] hash = ntHashOf(password);
        return db.transaction(tx -> {
            Optional<UserRecord> old = tx.get(key(name)).map(b -> JsonCodec.read(b, UserRecord.class));
            return store(tx, new UserRecord(old.map(UserRecord::name).orElse(name), HexFormat.of().formatHex(hash),
                    old.map(UserRecord::createdAt).orElse(Instant.now().toString())));
        });
    }

    public void remove(String name) {
        db.transaction(tx -> {
            if (tx.get(key(name)).isEmpty()) {
                throw new IllegalArgumentException("no user '" + name + "'");
            }
            tx.delete(key(name));
            return null;
        });
    }

    public Optional<UserRecord> find(String name) {
        return db.get(key(name)).map(b -> JsonCodec.read(b, UserRecord.class));
    }

    public List<UserRecord> list() {
        return db.snapshot().values().stream().map(b -> JsonCodec.read(b, UserRecord.class)).toList();
    }

    public Optional<byte[]> ntHash(String name) {
        return find(name).map(u -> HexFormat.of().parseHex(u.ntHash()));
    }

    private static UserRecord store(Transaction tx, UserRecord user) {
        tx.put(key(user.name()), JsonCodec.write(user));
        return user;
    }

    private static byte[] ntHashOf(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (password.length() > 256) {
            throw new IllegalArgumentException("the password is longer than 256 characters");
        }
        return ntOwf(password);
    }

    /** NTOWFv1: MD4 of the UTF-16LE password ([MS-NLMP] 3.3.1). */
    static byte[] ntOwf(String password) {
        byte[] in = password.getBytes(StandardCharsets.UTF_16LE);
        MD4Digest md4 = new MD4Digest();
        md4.update(in, 0, in.length);
        byte[] out = new byte[16];
        md4.doFinal(out, 0);
        return out;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
