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
    private List<String> lastCommand;
    /** Whether the node warms its SMB data path after start (the product's default). */
    private boolean smbWarmUp = true;

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
        return startCluster(work, n, true);
    }

    /** As {@link #startCluster(Path, int)}; {@code smbWarmUp} false starts them with --no-smb-warm-up. */
    public static List<NodeProcess> startCluster(Path work, int n, boolean smbWarmUp) throws IOException {
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            NodeProcess node = new NodeProcess("node" + i, work, Env.freePort(), Env.freePort(), Env.freeClusterPort());
            node.smbWarmUp = smbWarmUp;
            nodes.add(node);
        }
        String peers = String.join(",", nodes.stream().map(x -> "127.0.0.1:" + x.clusterPort).toList());
        for (NodeProcess node : nodes) {
            node.start(work.resolve("shared"), peers);
        }
        return nodes;
    }

    public void start(Path shared, String peers) throws IOException {
        start(List.of(), "127.0.0.1", shared, peers);
    }

    /**
     * Starts the node with its cluster transport on {@code clusterHost}, the command run
     * through {@code prefix} (e.g. {@code ip netns exec NS}, which execs, so the process
     * is still the node's JVM). A {@link #restart} appends to the log.
     */
    public void start(List<String> prefix, String clusterHost, Path shared, String peers) throws IOException {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Env.BLADESHARE.toString(), "--data-dir", dataDir.toString(),
                "--shared-dir", shared.toString(), "--node-name", name, "--bind", "127.0.0.1",
                "--smb-port", Integer.toString(smbPort), "--console-port", Integer.toString(consolePort),
                "--cluster-bind", clusterHost + ":" + clusterPort, "--peers", peers));
        if (!smbWarmUp) {
            cmd.add("--no-smb-warm-up");
        }
        lastCommand = List.copyOf(cmd);
        process = new ProcessBuilder(cmd).directory(Env.HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Starts the node again with the command of its last start (same ports, same data). */
    public void restart() throws IOException {
        if (lastCommand == null) {
            throw new IllegalStateException(name + " was never started");
        }
        if (alive()) {
            throw new IllegalStateException(name + " is still running");
        }
        process = new ProcessBuilder(lastCommand).directory(Env.HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The node's process id (bin/bladeshare execs the JVM, so this is the JVM). */
    public long pid() {
        return process.pid();
    }

    /** {@code kill -9}: SIGKILL to the node's JVM, then waits (bounded) until it is gone. */
    public void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
        }
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
            int from = Math.max(0, lines.size() - 30);
            // the node's one-sentence reason for exiting ("bladeshare: ...") even when log lines follow it
            List<String> reasons = lines.subList(0, from).stream().filter(l -> l.startsWith("bladeshare: ")).toList();
            return String.join("\n", reasons) + (reasons.isEmpty() ? "" : "\n...\n")
                + String.join("\n", lines.subList(from, lines.size()));
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
