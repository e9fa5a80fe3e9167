package org.bladeshare.tests.torture;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TortureRunTest {
    @Test
    void readsOutcomesIncludingTheSuiteLine() {
        String out = """
                test: qfs_buffercheck
                failure: qfs_buffercheck [
                ../../source4/torture/smb2/getinfo.c:528: status was STATUS_BUFFER_OVERFLOW
                ]
                success: qfile_buffercheck
                skip: streams
                error: granted [
                boom
                ]
                success: getinfo
                """;
        TortureRun run = TortureRun.parse("smb2.getinfo", out, 1, 3);
        assertEquals(Set.of("qfile_buffercheck", "getinfo"), run.passed());
        assertEquals(1, run.count("failure"));
        assertEquals(1, run.count("error"));
        assertEquals(1, run.count("skip"));
        assertEquals("smb2.getinfo 2 2 1 3s", run.summary());
    }
}
