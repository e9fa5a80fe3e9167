package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadBuffersTest {
    @Test
    void aReleasedBufferIsReusedEmptyAndTheKeptCountIsBounded() {
        ByteBuf first = ReadBuffers.take();
        assertEquals(0, first.readableBytes());
        assertEquals(ReadBuffers.PIECE, first.writableBytes());
        first.writeLong(0x1122334455667788L);
        long address = first.memoryAddress();
        int before = ReadBuffers.kept();
        first.release();
        assertEquals(before + 1, ReadBuffers.kept());

        List<ByteBuf> taken = new ArrayList<>();
        boolean reused = false;
        for (int i = 0; i < ReadBuffers.KEPT + 8; i++) {
            ByteBuf b = ReadBuffers.take();
            assertEquals(0, b.writerIndex(), "a reused buffer starts empty");
            reused |= b.memoryAddress() == address;
            taken.add(b);
        }
        assertTrue(reused, "the released memory came back");
        assertEquals(0, ReadBuffers.kept());
        taken.forEach(ByteBuf::release);
        assertEquals(ReadBuffers.KEPT, ReadBuffers.kept(), "no more than KEPT are kept");
    }
}
