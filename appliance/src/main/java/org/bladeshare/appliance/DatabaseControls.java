package org.bladeshare.appliance;

import org.bladeshare.appliance.admin.AdminServer;
import org.bladeshare.appliance.config.DatabaseMap;
import org.bladeshare.appliance.config.DatabaseMap.Kind;
import org.bladeshare.cluster.Cluster;
import org.bladeshare.cluster.db.LockedRecord;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import static org.bladeshare.appliance.admin.AdminArgs.text;

/**
 * The database controls behind {@code bladectl db ...}, CTDB's {@code attach}, {@code getdbmap},
 * {@code catdb}, {@code pfetch}, {@code pstore}, {@code pdelete} and {@code ptrans}. Keys and values travel as
 * UTF-8 text.
 */
final class DatabaseControls {
    private DatabaseControls() {
    }

    /** One database in {@code db list}. */
    record DbEntry(String name, String kind) {
    }

    static void registerAll(AdminServer server, Cluster cluster, DatabaseMap dbs) {
        server.register("db.attach", args -> {
            String name = text(args, "name");
            Kind kind = kindOf(args.path("kind").asText("volatile"));
            return new DbEntry(name, lower(dbs.attach(name, kind)));
        }).register("db.list", args -> dbs.list().entrySet().stream()
                .map(e -> new DbEntry(e.getKey(), lower(e.getValue()))).toList()
        ).register("db.dump", args -> {
            String name = text(args, "name");
            SortedMap<String, byte[]> records = switch (dbs.require(name)) {
                case PERSISTENT -> cluster.persistent(name).snapshot();
                case REPLICATED -> cluster.replicated(name).snapshot();
                case VOLATILE -> cluster.volatileDb(name).traverse();
            };
            Map<String, String> out = new LinkedHashMap<>();
            records.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
            return out;
        }).register("db.get", args -> {
            String name = text(args, "name");
            String key = text(args, "key");
            Optional<byte[]> value = switch (dbs.require(name)) {
                case PERSISTENT -> cluster.persistent(name).get(key);
                case REPLICATED -> cluster.replicated(name).get(key);
                case VOLATILE -> cluster.volatileDb(name).fetch(key);
            };
            byte[] v = value.orElseThrow(() -> new IllegalStateException("no key '" + key + "' in " + name));
            return Map.of("key", key, "value", new String(v, StandardCharsets.UTF_8));
        }).register("db.put", args -> {
            String name = text(args, "name");
            String key = text(args, "key");
            byte[] value = text(args, "value").getBytes(StandardCharsets.UTF_8);
            switch (dbs.require(name)) {
                case PERSISTENT -> cluster.persistent(name).put(key, value);
                case REPLICATED -> cluster.replicated(name).put(key, value);
                case VOLATILE -> {
                    try (LockedRecord r = cluster.volatileDb(name).fetchLocked(key)) {
                        r.store(value);
                    }
                }
            }
            return Map.of("key", key, "stored", true);
        }).register("db.delete", args -> {
            String name = text(args, "name");
            String key = text(args, "key");
            switch (dbs.require(name)) {
                case PERSISTENT -> cluster.persistent(name).delete(key);
                case REPLICATED -> cluster.replicated(name).delete(key);
                case VOLATILE -> {
                    try (LockedRecord r = cluster.volatileDb(name).fetchLocked(key)) {
                        r.delete();
                    }
                }
            }
            return Map.of("key", key, "deleted", true);
        }).register("db.ptrans", args -> {
            String name = text(args, "name");
            if (dbs.require(name) != Kind.PERSISTENT) {
                throw new IllegalArgumentException("database " + name + " is not persistent: only persistent databases"
                        + " have transactions");
            }
            com.fasterxml.jackson.databind.JsonNode records = args.get("records");
            if (records == null || !records.isObject() || records.isEmpty()) {
                throw new IllegalArgumentException("missing argument 'records': a transaction changes at least one record");
            }
            int changed = cluster.persistent(name).transaction(tx -> {
                records.fields().forEachRemaining(e -> {
                    if (e.getValue().isNull()) {
                        tx.delete(e.getKey());
                    } else if (e.getValue().isTextual()) {
                        tx.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8));
                    } else {
                        throw new IllegalArgumentException("the value of '" + e.getKey() + "' is not text");
                    }
                });
                return records.size();
            });
            return Map.of("name", name, "changed", changed);
        });
    }

    private static Kind kindOf(String text) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("database kind '" + text + "' is not one of " + List.of("volatile", "persistent", "replicated"));
    }

    private static String lower(Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

}
