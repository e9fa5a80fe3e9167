package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of {@link #PIECE} bytes for large READ payloads, kept for reuse when released.
 * Netty's pooled allocator serves a 1 MiB buffer from a chunk that it frees again as soon as the
 * chunk is empty, so a stream of READs allocated, zeroed and page-faulted a fresh chunk every few
 * requests (6 % of a 1 GiB read's CPU). Up to {@link #KEPT} buffers are kept; past that a released
 * one is left to the garbage collector, whose cleaner frees the memory.
 */
final class ReadBuffers {
    static final int PIECE = 1024 * 1024;
    /** 32 MiB: two clients each with sixteen 1 MiB READs in flight (smbclient's 16 MiB window). */
    static final int KEPT = 32;

    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger FREE_COUNT = new AtomicInteger();

    private ReadBuffers() {
    }

    /** An empty buffer of {@link #PIECE} bytes capacity; release it as any ByteBuf. */
    static ByteBuf take() {
        ByteBuffer memory = FREE.poll();
        if (memory != null) {
            FREE_COUNT.decrementAndGet();
            memory.clear();
        } else {
            memory = ByteBuffer.allocateDirect(PIECE);
        }
        return new Kept(memory).clear();
    }

    /** How many released buffers wait for reuse (for tests). */
    static int kept() {
        return FREE_COUNT.get();
    }

    private static final class Kept extends UnpooledDirectByteBuf {
        private final ByteBuffer memory;

        Kept(ByteBuffer memory) {
            super(UnpooledByteBufAllocator.DEFAULT, memory, PIECE); // wraps memory, does not free it
            this.memory = memory;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            if (FREE_COUNT.incrementAndGet() <= KEPT) {
                FREE.offer(memory);
            } else {
                FREE_COUNT.decrementAndGet();
            }
        }
    }
}
