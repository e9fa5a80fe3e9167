package org.bladeshare.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One Bladeshare node started through bin/bladeshare as its own process, as an operator starts it. */
public final class NodeProcess implements AutoCloseable {
    public final String name;
    public final Path dataDir;
    public final int smbPort;
    public final int consolePort;
    public final int clusterPort;
    private final Path log;
    private Process process;

    public NodeProcess(String name, Path work, int smbPort, int consolePort, int clusterPort) {
        this.name = name;
        this.dataDir = work.resolve(name);
        this.log = work.resolve(name + ".log");
        this.smbPort = smbPort;
        this.consolePort = consolePort;
        this.clusterPort = clusterPort;
    }

    /** Starts n nodes on free loopback ports sharing work/shared, each listing all as peers. */
    public static List<NodeProcess> startCluster(Path work, int n) throws IOException {
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            nodes.add(new NodeProcess("node" + i, work, Env.freePort(), Env.freePort(), Env.freePort()));
        }
        String peers = String.join(",", nodes.stream().map(x -> "127.0.0.1:" + x.clusterPort).toList());
        for (NodeProcess node : nodes) {
            node.start(work.resolve("shared"), peers);
        }
        return nodes;
    }

    public void start(Path shared, String peers) throws IOException {
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(Env.BLADESHARE.toString(), "--data-dir", dataDir.toString(),
                "--shared-dir", shared.toString(), "--node-name", name, "--bind", "127.0.0.1",
                "--smb-port", Integer.toString(smbPort), "--console-port", Integer.toString(consolePort),
                "--cluster-bind", "127.0.0.1:" + clusterPort, "--peers", peers)
                .directory(Env.HOME.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** bladectl against this node. */
    public Proc ctl(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Env.BLADECTL.toString(), "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        return Proc.run(cmd, stdin, Duration.ofSeconds(60));
    }

    /** {@code bladectl status --json}, parsed; null while the node does not answer. */
    public JsonNode status() {
        Proc p = ctl(null, "status", "--json");
        if (p.exit() != 0) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(p.out());
        } catch (IOException e) {
            throw new AssertionError("status --json is not JSON: " + p.out(), e);
        }
    }

    /** Waits (bounded) until this node reports `count` nodes OK; fails with the log's tail otherwise. */
    public JsonNode awaitOk(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new AssertionError(name + " exited: " + logTail());
            }
            last = status();
            if (last != null) {
                int ok = 0;
                for (JsonNode n : last.path("nodes")) {
                    ok += "OK".equals(n.path("state").asText()) ? 1 : 0;
                }
                if (ok >= count) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not see " + count + " nodes OK within " + timeout + "; last status " + last + "\n" + logTail());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
