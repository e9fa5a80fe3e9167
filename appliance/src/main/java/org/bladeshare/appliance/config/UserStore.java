package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;
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

    /** Adds a new user; refuses a name that exists. */
    public UserRecord add(String name, String password) {
        Names.user(name);
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("user '" + name + "' exists already: use 'bladectl user passwd' to change the password");
        }
        return store(name, password, Instant.now().toString());
    }

    /** Sets the password of a user, creating the user when missing. */
    public UserRecord setPassword(String name, String password) {
        Names.user(name);
        String created = find(name).map(UserRecord::createdAt).orElse(Instant.now().toString());
        return store(find(name).map(UserRecord::name).orElse(name), password, created);
    }

    public void remove(String name) {
        if (find(name).isEmpty()) {
            throw new IllegalArgumentException("no user '" + name + "'");
        }
        db.delete(key(name));
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

    private UserRecord store(String name, String password, String created) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the password is empty");
        }
        if (password.length() > 256) {
            throw new IllegalArgumentException("the password is longer than 256 characters");
        }
        UserRecord user = new UserRecord(name, HexFormat.of().formatHex(ntOwf(password)), created);
        db.put(key(name), JsonCodec.write(user));
        return user;
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
