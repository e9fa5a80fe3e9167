package org.bladeshare.smb;

import org.bladeshare.smb.auth.Crypto;
import org.bladeshare.smb.auth.UserDirectory;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.server.ShareRegistry;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Fixtures: an in-memory user directory, a share list and a started server on an ephemeral port. */
public final class TestServers {
    public static final String USER = "demo";
    public static final String PASSWORD = "S3cret-pass";

    private TestServers() {
    }

    public static UserDirectory users(Map<String, String> passwords) {
        return name -> Optional.ofNullable(passwords.get(name.toLowerCase(Locale.ROOT))).map(Crypto::ntHash);
    }

    public static ShareRegistry shares(List<ShareConfig> list) {
        return new ShareRegistry() {
            @Override
            public Optional<ShareConfig> find(String name) {
                return list.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
            }

            @Override
            public List<ShareConfig> all() {
                return list;
            }
        };
    }

    /** A started server with share "public" at {@code dir} (plus "secure", encrypted, at {@code dir}/secure if present). */
    public static SmbServer start(Path dir, List<ShareConfig> extra) throws IOException {
        var all = new java.util.ArrayList<ShareConfig>();
        all.add(new ShareConfig("public", dir, "Public files", false, false));
        all.addAll(extra);
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), 0, "BLADE1", UUID.randomUUID(), true);
        SmbServer server = new SmbServer(config, users(Map.of(USER, PASSWORD)), shares(all));
        server.start();
        return server;
    }

    /** A started server with share "public" at {@code dir} and single-node state with these per-session limits. */
    public static SmbServer startWithLimits(Path dir, org.bladeshare.smb.state.SessionLimits limits) throws IOException {
        var state = new org.bladeshare.smb.server.StatePorts(0, new org.bladeshare.smb.state.InMemoryShareModeTable(),
            new org.bladeshare.smb.state.InMemoryByteRangeLockTable(), new org.bladeshare.smb.state.InMemoryLeaseTable(),
            new org.bladeshare.smb.state.InMemoryDurableHandleTable(), new org.bladeshare.smb.state.InMemoryMessageBus(0),
            limits);
        var config = new SmbServerConfig(InetAddress.getLoopbackAddress(), 0, "BLADE1", UUID.randomUUID(), true);
        SmbServer server = new SmbServer(config, users(Map.of(USER, PASSWORD)),
            shares(List.of(new ShareConfig("public", dir, "Public files", false, false))), state);
        server.start();
        return server;
    }
}
