package org.bladeshare.appliance.config;

import org.bladeshare.cluster.Cluster;
import org.bladeshare.cluster.db.PersistentDb;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which databases exist and of what kind, cluster-wide (CTDB's {@code getdbmap}), kept in
 * the persistent database {@code dbmap} so that a database attached on one node is known to
 * every node. The appliance's own databases are registered at boot.
 */
public final class DatabaseMap {
    public static final String DB = "dbmap";
    /** Volatile databases of the SMB engine's state, as Samba's locking.tdb and brlock.tdb. */
    public static final String SMB_SHARE_MODES = "smb_share_modes";
    public static final String SMB_BYTE_RANGE_LOCKS = "smb_brlock";
    public static final String SMB_LEASES = "smb_leases";
    public static final String SMB_DURABLE_HANDLES = "smb_durable";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The three kinds of CTDB database. */
    public enum Kind { VOLATILE, PERSISTENT, REPLICATED }

    /** The appliance's own databases: known on every node without being recorded. */
    private static final Map<String, Kind> BUILT_IN = Map.of(DB, Kind.PERSISTENT, UserStore.DB, Kind.PERSISTENT,
            ShareStore.DB, Kind.PERSISTENT, AdminCredentials.DB, Kind.PERSISTENT,
            SMB_SHARE_MODES, Kind.VOLATILE, SMB_BYTE_RANGE_LOCKS, Kind.VOLATILE,
            SMB_LEASES, Kind.VOLATILE, SMB_DURABLE_HANDLES, Kind.VOLATILE);

    private final Cluster cluster;
    private final PersistentDb map;

    public DatabaseMap(Cluster cluster) {
        this.cluster = cluster;
        this.map = cluster.persistent(DB);
    }

    /** Attaches the database on this node and records its kind for every node; attaching again with the same kind is a no-op. */
    public Kind attach(String name, Kind kind) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "' is not valid: use letters, digits, '.', '_' or '-'");
        }
        if (BUILT_IN.containsKey(name) && BUILT_IN.get(name) != kind) {
            throw alreadyAs(name, BUILT_IN.get(name));
        }
        if (!BUILT_IN.containsKey(name)) {
            // the kind is checked and recorded in one transaction: two nodes cannot record two kinds
            map.transaction(tx -> {
                Optional<Kind> existing = tx.get(name).map(b -> Kind.valueOf(new String(b, StandardCharsets.UTF_8)));
                if (existing.isPresent() && existing.get() != kind) {
                    throw alreadyAs(name, existing.get());
                }
                if (existing.isEmpty()) {
                    tx.put(name, kind.name().getBytes(StandardCharsets.UTF_8));
                }
                return null;
            });
        }
        open(name, kind);
        return kind;
    }

    private static IllegalArgumentException alreadyAs(String name, Kind kind) {
        return new IllegalArgumentException("database " + name + " exists already as " + kind.name().toLowerCase(Locale.ROOT));
    }

    public Optional<Kind> kind(String name) {
        if (BUILT_IN.containsKey(name)) {
            return Optional.of(BUILT_IN.get(name));
        }
        return map.get(name).map(b -> Kind.valueOf(new String(b, StandardCharsets.UTF_8)));
    }

    /** Every database with its kind, sorted by name. */
    public Map<String, Kind> list() {
        Map<String, Kind> all = new TreeMap<>();
        all.putAll(BUILT_IN);
        map.snapshot().forEach((k, v) -> all.put(k, Kind.valueOf(new String(v, StandardCharsets.UTF_8))));
        return all;
    }

    /** The kind of an attached database, or a sentence saying to attach it first. */
    public Kind require(String name) {
        return kind(name).orElseThrow(() -> new IllegalArgumentException(
                "no database '" + name + "': attach it first with 'bladectl db attach " + name + "'"));
    }

    private void open(String name, Kind kind) {
        switch (kind) {
            case PERSISTENT -> cluster.persistent(name);
            case VOLATILE -> cluster.volatileDb(name);
            case REPLICATED -> cluster.replicated(name);
        }
    }
}
