package org.bladeshare.smb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.erref.NtStatusException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every cipher seals and opens a message; any flipped bit in header or body is detected. */
class TransformCodecTest {
    @ParameterizedTest
    @EnumSource(CipherId.class)
    void roundTripAndTamperDetection(CipherId cipher) {
        Random rnd = new Random(cipher.ordinal());
        byte[] key = new byte[cipher.keyBytes()];
        rnd.nextBytes(key);
        byte[] message = new byte[70_000];
        rnd.nextBytes(message);
        byte[] nonce = new byte[16];
        rnd.nextBytes(nonce);
        ByteBuf sealed = TransformCodec.encrypt(ByteBufAllocator.DEFAULT, cipher, key, 0x1234L, nonce,
            Unpooled.wrappedBuffer(message));
        assertEquals(TransformCodec.HEADER_SIZE + message.length, sealed.readableBytes());
        assertEquals(0x1234L, TransformCodec.sessionId(sealed));
        ByteBuf opened = TransformCodec.decrypt(ByteBufAllocator.DEFAULT, cipher, key, sealed);
        assertArrayEquals(message, ByteBufUtil.getBytes(opened));
        for (int pos : new int[]{10, 25, 44, TransformCodec.HEADER_SIZE + 5}) {
            byte[] bad = ByteBufUtil.getBytes(sealed);
            bad[pos] ^= 0x40;
            assertThrows(NtStatusException.class,
                () -> TransformCodec.decrypt(ByteBufAllocator.DEFAULT, cipher, key, Unpooled.wrappedBuffer(bad)),
                "flipped byte " + pos);
        }
    }
}
