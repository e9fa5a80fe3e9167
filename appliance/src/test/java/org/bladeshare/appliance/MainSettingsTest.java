package org.bladeshare.appliance;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.*;

class MainSettingsTest {

    private static Main parse(String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void pnnIsThePlaceInThePeerList() {
        NodeSettings s = parse("--cluster-bind", "127.0.0.1:7802", "--peers", "127.0.0.1:7801,127.0.0.1:7802,127.0.0.1:7803",
                "--node-name", "n2").settings();
        assertEquals(1, s.pnn());
        assertEquals(new InetSocketAddress("127.0.0.1", 7803), s.peers().get(2));
    }

    @Test
    void theSmbWarmUpIsOnUnlessTurnedOff() {
        assertTrue(parse().settings().smbWarmUp());
        assertFalse(parse("--no-smb-warm-up").settings().smbWarmUp());
        assertTrue(parse("--smb-warm-up").settings().smbWarmUp());
    }

    @Test
    void peersMustIncludeThisNode() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> parse("--cluster-bind", "127.0.0.1:7809", "--peers", "127.0.0.1:7801").settings());
        assertTrue(e.getMessage().contains("--peers must list this node's --cluster-bind"));
    }

    @Test
    void malformedAddressesAreSentences() {
        assertThrows(IllegalArgumentException.class, () -> parse("--cluster-bind", "nonsense").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("--cluster-bind", "127.0.0.1:0").settings());
        assertThrows(IllegalArgumentException.class, () -> parse("--node-name", "bad name").settings());
    }

    @Test
    void unknownFlagExitsWith2AndOneLine() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--bogus"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--bogus"));
    }
}
