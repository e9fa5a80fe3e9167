package org.bladeshare.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bladectl db ...}: the clustered databases, like ctdb's attach, getdbmap, catdb, pfetch, pstore, pdelete, ptrans. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Attaches, lists, reads and writes the clustered databases.")
final class DbCommand {
    /** bladectl itself, which holds the inherited --data-dir and --json. */
    @ParentCommand
    BladeCtl root;

    /** At most one kind flag; none means volatile, as ctdb attach. */
    static final class KindFlags {
        @Option(names = "--persistent", description = "replicated and transactional: survives any node's crash")
        boolean persistent;
        @Option(names = "--replicated", description = "copied to every node without a transaction")
        boolean replicated;
    }

    @Command(name = "attach", mixinStandardHelpOptions = true, description = "Attaches (creating) a database, volatile unless a flag says otherwise.")
    void attach(@Parameters(paramLabel = "NAME") String name, @ArgGroup(exclusive = true) KindFlags kind) {
        String k = kind == null ? "volatile" : kind.persistent ? "persistent" : kind.replicated ? "replicated" : "volatile";
        JsonNode db = root.ctx.call("db.attach", Map.of("name", name, "kind", k));
        root.ctx.print(db, "attached " + db.path("kind").asText() + " database " + db.path("name").asText());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every database and its kind.")
    void list() {
        JsonNode dbs = root.ctx.call("db.list", Map.of());
        StringBuilder out = new StringBuilder("Number of databases: " + dbs.size());
        for (JsonNode db : dbs) {
            out.append(String.format("%n%-24s %s", db.path("name").asText(), db.path("kind").asText().toUpperCase()));
        }
        root.ctx.print(dbs, out.toString());
    }

    @Command(name = "dump", mixinStandardHelpOptions = true, description = "Prints every record of a database.")
    void dump(@Parameters(paramLabel = "NAME") String name) {
        JsonNode records = root.ctx.call("db.dump", Map.of("name", name));
        StringBuilder out = new StringBuilder();
        records.fields().forEachRemaining(e -> out.append("key(").append(e.getKey()).append(") = ")
                .append(e.getValue().asText()).append('\n'));
        out.append("Dumped ").append(records.size()).append(" records");
        root.ctx.print(records, out.toString());
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints one record's value.")
    void get(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "KEY") String key) {
        JsonNode record = root.ctx.call("db.get", Map.of("name", name, "key", key));
        root.ctx.print(record, record.path("value").asText());
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Stores one record; returns when it is committed.")
    void put(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "KEY") String key,
             @Parameters(paramLabel = "VALUE") String value) {
        root.ctx.print(root.ctx.call("db.put", Map.of("name", name, "key", key, "value", value)), "");
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes one record.")
    void delete(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "KEY") String key) {
        root.ctx.print(root.ctx.call("db.delete", Map.of("name", name, "key", key)), "");
    }

    @Command(name = "ptrans", mixinStandardHelpOptions = true,
            description = "Changes several records of a persistent database in one transaction: all of them or none."
                    + " Reads 'KEY VALUE' lines from standard input; a line with a KEY alone deletes that key.")
    void ptrans(@Parameters(paramLabel = "NAME") String name) {
        Map<String, String> records = readRecords();
        JsonNode done = root.ctx.call("db.ptrans", Map.of("name", name, "records", records));
        root.ctx.print(done, "committed " + done.path("changed").asInt() + " records to " + name + " in one transaction");
    }

    /** {@code KEY VALUE} per line (the value is the rest of the line); {@code KEY} alone is a delete (null). */
    private static Map<String, String> readRecords() {
        Map<String, String> records = new LinkedHashMap<>();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                String[] kv = l.split("\\s+", 2);
                if (records.containsKey(kv[0])) {
                    throw new CtlContext.CtlFailure("line " + lineNo + " names key '" + kv[0] + "' a second time",
                            BladeCtl.EXIT_BAD_INPUT);
                }
                records.put(kv[0], kv.length == 2 ? kv[1] : null);
            }
        } catch (IOException e) {
            throw new CtlContext.CtlFailure("cannot read the records: " + e.getMessage(), BladeCtl.EXIT_BAD_INPUT);
        }
        if (records.isEmpty()) {
            throw new CtlContext.CtlFailure("no records on standard input: give one 'KEY VALUE' per line",
                    BladeCtl.EXIT_BAD_INPUT);
        }
        return records;
    }
}
