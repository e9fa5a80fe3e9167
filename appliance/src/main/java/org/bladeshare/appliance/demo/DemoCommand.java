package org.bladeshare.appliance.demo;

import org.bladeshare.appliance.admin.AdminClient;
import org.bladeshare.appliance.config.AdminCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bladeshare demo}: a small cluster on this machine with nothing else set up. Starts
 * one JVM per node on loopback, creates the share {@code public}, the user {@code demo} and
 * the console password, prints how to reach them, and stops every node on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Boots a small cluster on this machine (loopback), with a share 'public' and a user 'demo'.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR", description = "where the nodes keep their state (default: ${DEFAULT-VALUE})")
    Path dir = Path.of("var/demo");

    @Option(names = "--nodes", paramLabel = "N", description = "how many nodes, 1 to 8 (default: ${DEFAULT-VALUE})")
    int nodes = 3;

    @Option(names = "--smb-port", paramLabel = "N", description = "node 1's SMB port; node k uses N+k-1 (default: ${DEFAULT-VALUE})")
    int smbPort = 4445;

    @Option(names = "--console-port", paramLabel = "N", description = "node 1's console port; node k uses N+k-1 (default: ${DEFAULT-VALUE})")
    int consolePort = 8443;

    @Option(names = "--cluster-port", paramLabel = "N", description = "node 1's cluster port; node k uses N+k-1 (default: ${DEFAULT-VALUE})")
    int clusterPort = 7801;

    @Option(names = "--boot-timeout", paramLabel = "SECONDS", description = "how long to wait for every node to be OK (default: ${DEFAULT-VALUE})")
    int bootTimeout = 120;

    private final List<Process> children = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 8) {
            throw new IllegalArgumentException("--nodes must be between 1 and 8");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path shared = base.resolve("shared");
        Path publicDir = shared.resolve("public");
        try {
            Files.createDirectories(publicDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + publicDir + ": " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "demo-stop"));

        List<String> peers = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            peers.add("127.0.0.1:" + (clusterPort + k - 1));
        }
        for (int k = 1; k <= nodes; k++) {
            children.add(startNode(k, base, shared, String.join(",", peers)));
            System.out.printf("started node%d (pid %d), log in %s%n", k, children.getLast().pid(), base.resolve("node" + k + ".log"));
        }

        Path node1 = base.resolve("node1");
        if (!waitForCluster(node1, base)) {
            return 1;
        }
        String demoPassword = AdminCredentials.generatePassword();
        String adminPassword = AdminCredentials.generatePassword();
        try (AdminClient admin = AdminClient.connect(node1)) {
            boolean hasShare = false;
            for (var s : admin.call("share.list", Map.of())) {
                hasShare |= s.path("name").asText().equalsIgnoreCase("public");
            }
            if (!hasShare) {
                admin.call("share.add", Map.of("name", "public", "path", publicDir.toString(), "comment", "Demo share"));
            }
            admin.call("user.passwd", Map.of("name", "demo", "password", demoPassword));
            admin.call("admin.password", Map.of("password", adminPassword));
        }
        System.out.println();
        System.out.printf("Bladeshare demo: %d nodes OK. Shared storage: %s%n", nodes, shared);
        System.out.printf("  Console:  https://127.0.0.1:%d/   user admin, password %s%n", consolePort, adminPassword);
        System.out.printf("  SMB user: demo, password %s%n", demoPassword);
        System.out.printf("  Try:      smbclient //127.0.0.1/public -p %d -U demo%%%s -c 'ls'%n", smbPort, demoPassword);
        System.out.printf("  Status:   bin/bladectl --data-dir %s status%n", node1);
        System.out.println("Press Ctrl-C to stop every node.");
        for (Process p : children) {
            p.waitFor();
        }
        return 0;
    }

    private Process startNode(int k, Path base, Path shared, String peers) throws IOException, URISyntaxException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-jar");
        cmd.add(Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        cmd.addAll(List.of("--data-dir", base.resolve("node" + k).toString(), "--shared-dir", shared.toString(),
                "--node-name", "node" + k, "--bind", "127.0.0.1",
                "--smb-port", Integer.toString(smbPort + k - 1), "--console-port", Integer.toString(consolePort + k - 1),
                "--cluster-bind", "127.0.0.1:" + (clusterPort + k - 1), "--peers", peers));
        Path log = base.resolve("node" + k + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private boolean waitForCluster(Path node1, Path base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(bootTimeout);
        int lastOk = -1;
        while (System.nanoTime() < deadline) {
            for (int k = 0; k < children.size(); k++) {
                if (!children.get(k).isAlive()) {
                    System.err.printf("bladeshare demo: node%d exited with status %d; its log:%n", k + 1, children.get(k).exitValue());
                    printTail(base.resolve("node" + (k + 1) + ".log"));
                    return false;
                }
            }
            int ok = okNodes(node1);
            if (ok != lastOk) {
                System.out.printf("waiting for the cluster: %d of %d nodes OK%n", Math.max(ok, 0), nodes);
                lastOk = ok;
            }
            if (ok >= nodes) {
                return true;
            }
            Thread.sleep(300);
        }
        System.err.printf("bladeshare demo: the cluster did not form within %d s; see the logs in %s%n", bootTimeout, base);
        return false;
    }

    private static int okNodes(Path node1) {
        try (AdminClient admin = AdminClient.connect(node1)) {
            int ok = 0;
            for (var n : admin.call("status", Map.of()).path("nodes")) {
                ok += "OK".equals(n.path("state").asText()) ? 1 : 0;
            }
            return ok;
        } catch (Exception e) {
            return 0; // not up yet
        }
    }

    private static void printTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.err::println);
        } catch (IOException e) {
            System.err.println("(no log: " + e.getMessage() + ")");
        }
    }

    private void stopAll() {
        if (children.isEmpty()) {
            return;
        }
        System.out.println("stopping " + children.size() + " nodes");
        children.forEach(Process::destroy);
        for (Process p : children) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
