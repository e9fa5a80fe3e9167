package org.bladeshare.smb.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which frames {@link SmbConnection#isSmall} lets a connection serve on its event loop. */
class SmallRequestTest {

    @Test
    void smallFileCommandsAreSmall() {
        for (int command : new int[] {Smb2Command.CREATE, Smb2Command.CLOSE, Smb2Command.QUERY_INFO,
            Smb2Command.SET_INFO, Smb2Command.QUERY_DIRECTORY, Smb2Command.ECHO}) {
            assertTrue(SmbConnection.isSmall(frame(message(command, 0, 56))), "command " + command);
        }
        assertTrue(SmbConnection.isSmall(frame(message(Smb2Command.WRITE, 0, 48 + 4096))));
        assertTrue(SmbConnection.isSmall(frame(read(64 * 1024))));
    }

    @Test
    void largeTransfersAndOpenEndedCommandsAreNot() {
        assertFalse(SmbConnection.isSmall(frame(message(Smb2Command.WRITE, 0, 48 + 1024 * 1024))),
            "a 1 MiB WRITE");
        assertFalse(SmbConnection.isSmall(frame(read(64 * 1024 + 1))), "a READ of more than 64 KiB");
        for (int command : new int[] {Smb2Command.NEGOTIATE, Smb2Command.SESSION_SETUP, Smb2Command.FLUSH,
            Smb2Command.LOCK, Smb2Command.IOCTL, Smb2Command.CANCEL, Smb2Command.CHANGE_NOTIFY,
            Smb2Command.LOGOFF, Smb2Command.TREE_CONNECT}) {
            assertFalse(SmbConnection.isSmall(frame(message(command, 0, 56))), "command " + command);
        }
    }

    @Test
    void aChainIsSmallWhenEveryCommandInItIs() {
        ByteBuf create = message(Smb2Command.CREATE, 128, 56);
        ByteBuf info = message(Smb2Command.QUERY_INFO, 128, 56);
        ByteBuf close = message(Smb2Command.CLOSE, 0, 24);
        assertTrue(SmbConnection.isSmall(frame(create.copy(), info.copy(), close.copy())));
        ByteBuf flush = message(Smb2Command.FLUSH, 0, 24);
        assertFalse(SmbConnection.isSmall(frame(create.copy(), info.copy(), flush)), "a FLUSH at the end");
    }

    @Test
    void malformedAndEncryptedFramesAreNot() {
        ByteBuf loops = message(Smb2Command.CREATE, 0, 56);
        loops.setIntLE(20, 1_000_000); // NextCommand past the end
        assertFalse(SmbConnection.isSmall(loops));
        ByteBuf shortNext = message(Smb2Command.CREATE, 0, 56);
        shortNext.setIntLE(20, 8); // NextCommand inside its own header
        assertFalse(SmbConnection.isSmall(shortNext));
        ByteBuf encrypted = message(Smb2Command.CREATE, 0, 56);
        encrypted.setInt(0, 0xFD534D42); // a transform header ([MS-SMB2] 2.2.41)
        assertFalse(SmbConnection.isSmall(encrypted));
        assertFalse(SmbConnection.isSmall(Unpooled.wrappedBuffer(new byte[10])), "a runt");
        ByteBuf endless = message(Smb2Command.ECHO, 72, 8);
        ByteBuf chain = Unpooled.buffer();
        for (int i = 0; i < 20; i++) {
            chain.writeBytes(endless.duplicate());
        }
        assertFalse(SmbConnection.isSmall(chain), "a chain longer than the ones looked at");
    }

    /** A header and a body of {@code bodySize} zero bytes, padded to {@code next} when that is not 0. */
    private static ByteBuf message(int command, int next, int bodySize) {
        ByteBuf m = Unpooled.buffer();
        new Smb2Header(1, 0, command, 1, 0, next, 1, 0, 1, 1, null).encode(m);
        m.writeZero(bodySize);
        if (next > 0) {
            m.writeZero(next - m.readableBytes());
        }
        return m;
    }

    private static ByteBuf read(long length) {
        ByteBuf m = message(Smb2Command.READ, 0, 48);
        m.setIntLE(Smb2Header.SIZE + 4, (int) length);
        return m;
    }

    private static ByteBuf frame(ByteBuf... messages) {
        return Unpooled.wrappedBuffer(messages);
    }
}
