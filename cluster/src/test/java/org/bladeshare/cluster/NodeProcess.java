package org.bladeshare.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One cluster node in a child JVM, so a test can kill -9 or freeze it. */
final class NodeProcess implements AutoCloseable {
    private final Process process;

    private NodeProcess(Process process) {
        this.process = process;
    }

    /** Child JVM entry point: pnn, data dir, peers as host:port... ; runs until stdin closes. */
    public static void main(String[] args) throws Exception {
        int pnn = Integer.parseInt(args[0]);
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] hp = args[i].split(":");
            peers.add(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
        }
        try (ClusterNode node = ClusterNode.start(new ClusterConfig("blade" + (pnn + 1), peers.get(pnn), peers,
                Path.of(args[1]), Path.of(args[1]).resolve("shared")))) {
            System.out.println("STARTED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // run until the parent closes our stdin
            }
        }
    }

    static NodeProcess launch(int pnn, Path dataDir, List<InetSocketAddress> peers) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.net.preferIPv4Stack=true", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                NodeProcess.class.getName(), Integer.toString(pnn), dataDir.toString()));
        peers.forEach(p -> cmd.add(p.getHostString() + ":" + p.getPort()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        NodeProcess np = new NodeProcess(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> { // its own thread: the common pool may have a single busy worker
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.equals("STARTED")) {
                        started.complete(true);
                        out.transferTo(java.io.Writer.nullWriter());
                        return;
                    }
                }
            } catch (IOException ignored) {
                // process died
            }
            started.complete(false);
        });
        try {
            if (!started.get(30, TimeUnit.SECONDS)) {
                throw new IOException("child node exited before it started");
            }
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("child node did not start: " + e + "; its output:\n" + log, e);
        }
        return np;
    }

    long pid() {
        return process.pid();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
        k.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Duration elapsedSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
