package org.bladeshare.smb.smb2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Scratch buffers on the Java heap for small encodings that are copied out and dropped: no
 * reference counting to get wrong, and none of the leak detector's noise about them.
 */
public final class HeapBuffers {
    private HeapBuffers() {
    }

    public static ByteBuf scratch() {
        return scratch(256);
    }

    public static ByteBuf scratch(int initialCapacity) {
        return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, initialCapacity, Integer.MAX_VALUE);
    }
}
