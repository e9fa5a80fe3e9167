package org.bladeshare.appliance;

import org.bladeshare.appliance.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code bladeshare}: boots one blade (or, with {@code demo}, a small cluster on this machine). */
@Command(name = "bladeshare", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Boots one Bladeshare node: SMB2/3 file service, cluster membership and the HTTPS console.",
        subcommands = DemoCommand.class, sortOptions = false)
public final class Main implements Callable<Integer> {
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Option(names = "--data-dir", paramLabel = "DIR", description = "node-local state (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("/var/lib/bladeshare");

    @Option(names = "--shared-dir", paramLabel = "DIR", description = "the cluster filesystem every node mounts (default: DATA-DIR/shared)")
    Path sharedDir;

    @Option(names = "--node-name", paramLabel = "NAME", description = "this node's name (default: the host name)")
    String nodeName;

    @Option(names = "--bind", paramLabel = "ADDR", description = "client-facing address for SMB and the console (default: ${DEFAULT-VALUE})")
    String bind = "0.0.0.0";

    @Option(names = "--smb-port", paramLabel = "N", description = "SMB port (default: 445 as root, else 4445)")
    Integer smbPort;

    @Option(names = "--console-port", paramLabel = "N", description = "HTTPS console port (default: ${DEFAULT-VALUE})")
    int consolePort = 8443;

    @Option(names = "--cluster-bind", paramLabel = "ADDR:PORT", description = "cluster transport address (default: ${DEFAULT-VALUE})")
    String clusterBind = "127.0.0.1:7800";

    @Option(names = "--peers", paramLabel = "ADDR:PORT,...", description = "every node's cluster address, in the same order on every node (default: this node alone)")
    String peers;

    @Option(names = "--platform", paramLabel = "KIND", description = "linux, simulated or auto (default: ${DEFAULT-VALUE})")
    String platform = "auto";

    @Option(names = "--smb-warm-up", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "after start, run the SMB data path once over loopback so the first clients get compiled code; --no-smb-warm-up skips it (default: on)")
    boolean smbWarmUp = true;

    public static void main(String[] args) {
        // Undertow and XNIO log through java.util.logging: send it to the node's one log.
        java.util.logging.LogManager.getLogManager().reset();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("bladeshare: " + ex.getMessage() + " (see bladeshare --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof BootException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("bladeshare: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("bladeshare: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }

    NodeSettings settings() {
        InetAddress bindAddr = HostPort.address(bind);
        InetSocketAddress cluster = HostPort.parse(clusterBind);
        List<InetSocketAddress> peerList = peers == null ? List.of(cluster) : HostPort.parseList(peers);
        if (!peerList.contains(cluster)) {
            throw new IllegalArgumentException("--peers must list this node's --cluster-bind " + clusterBind);
        }
        if (peerList.stream().distinct().count() != peerList.size()) {
            throw new IllegalArgumentException("--peers lists an address twice");
        }
        int smb = smbPort != null ? smbPort : (ROOT ? 445 : 4445);
        HostPort.port(Integer.toString(smb), "--smb-port " + smb);
        HostPort.port(Integer.toString(consolePort), "--console-port " + consolePort);
        String name = nodeName != null ? nodeName : hostName();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("--node-name '" + name + "' is not valid: use letters, digits, '.', '_' or '-'");
        }
        Path data = dataDir.toAbsolutePath().normalize();
        Path shared = (sharedDir != null ? sharedDir : data.resolve("shared")).toAbsolutePath().normalize();
        return new NodeSettings(data, shared, name, bindAddr, smb, consolePort, cluster, peerList, platform, smbWarmUp);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("\\..*", "");
        } catch (Exception e) {
            return "blade";
        }
    }

    @Override
    public Integer call() throws Exception {
        NodeSettings s = settings();
        Blade blade = new Blade(s).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(s.nodeName() + ": stopping");
            blade.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.printf("%s (pnn %d): SMB on %s:%d, console https://%s:%d/, cluster %s, data %s%n",
                s.nodeName(), s.pnn(), s.bindHost(), blade.smbPort(), s.bindHost(), blade.consolePort(),
                s.clusterBind(), s.dataDir());
        if (!blade.admin().isSet()) {
            System.out.println(s.nodeName() + ": no console administrator password is set yet: set one with 'bladectl --data-dir "
                    + s.dataDir() + " admin password'");
        }
        stopped.await();
        return 0;
    }

    /** Version from the JAR's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"bladeshare " + (v == null ? "(development build)" : v)};
        }
    }
}
