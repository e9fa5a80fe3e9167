package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Shares, cluster-wide, keyed by lower-cased name (share names are case-insensitive to clients). */
public final class ShareStore {
    public static final String DB = "shares";
    private final PersistentDb db;

    public ShareStore(PersistentDb db) {
        this.db = db;
    }

    public ShareRecord add(String name, String path, String comment, boolean encrypt, boolean readOnly) {
        Names.share(name);
        Path dir = Path.of(path);
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("share path '" + path + "' is not absolute");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("share path '" + path + "' is not a directory on this node");
        }
        ShareRecord share = new ShareRecord(name, dir.normalize().toString(), comment == null ? "" : comment, encrypt, readOnly);
        // checked and written in one transaction: two nodes adding the same name cannot both succeed
        return db.transaction(tx -> {
            if (tx.get(key(name)).isPresent()) {
                throw new IllegalArgumentException("share '" + name + "' exists already");
            }
            tx.put(key(name), JsonCodec.write(share));
            return share;
        });
    }

    public void remove(String name) {
        db.transaction(tx -> {
            if (tx.get(key(name)).isEmpty()) {
                throw new IllegalArgumentException("no share '" + name + "'");
            }
            tx.delete(key(name));
            return null;
        });
    }

    public Optional<ShareRecord> find(String name) {
        return db.get(key(name)).map(b -> JsonCodec.read(b, ShareRecord.class));
    }

    public List<ShareRecord> list() {
        return db.snapshot().values().stream().map(b -> JsonCodec.read(b, ShareRecord.class)).toList();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
