package org.bladeshare.smb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Manual testing aid: serves a directory as "public" until killed. Not part of the test run. */
public final class DevServerMain {
    private DevServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/bladeshare-dev");
        Files.createDirectories(dir);
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        var config = new SmbServerConfig(java.net.InetAddress.getLoopbackAddress(), port, "BLADE1",
            java.util.UUID.randomUUID(), true);
        var server = new SmbServer(config, TestServers.users(java.util.Map.of(TestServers.USER, TestServers.PASSWORD)),
            TestServers.shares(List.of(new org.bladeshare.smb.server.ShareConfig("public", dir, "Public", false, false),
                new org.bladeshare.smb.server.ShareConfig("secure", dir, "Encrypted", true, false))));
        server.start();
        System.out.println("PORT " + server.port());
        Thread.currentThread().join();
    }
}
