package org.bladeshare.smb.transport;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GhashTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void theBuildRunsTheJdksIntrinsicGhash() {
        // the surefire argLine and the JAR's manifest open com.sun.crypto.provider; without
        // that, GMAC signing would fall back to the portable GHASH at a tenth of the speed
        assertTrue(Ghash.intrinsic(), "com.sun.crypto.provider is not opened to the engine");
    }

    @Test
    void gcmTestCase2GhashOfOneZeroCiphertextBlock() {
        // [GCM spec, McGrew & Viega] test case 2: K = 0, P = 0^128; H = 66e94bd4ef8a2c3b884cfa59ca342b2e,
        // C = 0388dace60b6a392f328c2b971b2fe78, GHASH(H, {}, C) = f38cbb1ad69223dcc3457ae5b6b0f885
        byte[] h = HEX.parseHex("66e94bd4ef8a2c3b884cfa59ca342b2e");
        byte[] blocks = HEX.parseHex("0388dace60b6a392f328c2b971b2fe78" + "00000000000000000000000000000080");
        for (Ghash g : new Ghash[] {Ghash.create(h), Ghash.portable(h)}) {
            g.update(blocks, 0, blocks.length);
            assertEquals("f38cbb1ad69223dcc3457ae5b6b0f885", HEX.formatHex(g.digest()));
        }
    }

    @Test
    void intrinsicAndPortableAgreeOnRandomKeysAndLengthsFedInPieces() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] h = new byte[16];
            random.nextBytes(h);
            int blocks = random.nextInt(round < 100 ? 20 : 5000);
            byte[] data = new byte[blocks * 16 + 32];
            random.nextBytes(data);
            int offset = 16 * random.nextInt(2);
            Ghash fast = Ghash.create(h);
            Ghash slow = Ghash.portable(h);
            int at = offset;
            int end = offset + blocks * 16;
            while (at < end) {
                int n = Math.min(end - at, 16 * (1 + random.nextInt(64)));
                fast.update(data, at, n);
                slow.update(data, at, n);
                at += n;
            }
            assertArrayEquals(slow.digest(), fast.digest(), "round " + round + ", " + blocks + " blocks");
        }
    }
}
