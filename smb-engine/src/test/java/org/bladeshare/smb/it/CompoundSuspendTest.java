package org.bladeshare.smb.it;

import io.netty.buffer.ByteBuf;
import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.fscc.InfoClass;
import org.bladeshare.smb.smb2.Close;
import org.bladeshare.smb.smb2.Create;
import org.bladeshare.smb.smb2.FileId;
import org.bladeshare.smb.smb2.OplockBreakMessage;
import org.bladeshare.smb.smb2.QueryInfo;
import org.bladeshare.smb.smb2.Smb2Command;
import org.bladeshare.smb.smb2.Smb2Header;
import org.bladeshare.smb.state.OplockLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CREATE that waits for an oplock break inside a compound chain suspends the rest of the chain. */
class CompoundSuspendTest extends OneServerTest {
    private static final int READ_WRITE = 0x12019F;

    @BeforeEach
    void seed() throws Exception {
        Files.writeString(share.resolve("f.txt"), "oplocked");
    }

    private static Consumer<ByteBuf> open(int oplock) {
        return b -> new Create.Request(0, oplock, 2, READ_WRITE, 0, 7, Create.OPEN, 0, "f.txt", List.of()).encode(b);
    }

    @Test
    void theRelatedRequestsAfterAWaitingCreateUseItsHandleOnceItCompletes() throws Exception {
        try (RawClient holder = logOn(); RawClient other = logOn()) {
            var first = holder.call(Smb2Command.CREATE, open(OplockLevel.BATCH));
            FileId held = Create.Response.decode(first.message().duplicate().readerIndex(Smb2Header.SIZE)).fileId();

            other.sendChain(List.of(
                other.message(Smb2Command.CREATE, 0, open(OplockLevel.NONE)),
                other.message(Smb2Command.QUERY_INFO, Smb2Header.FLAG_RELATED, b -> new QueryInfo.Request(
                    QueryInfo.INFO_FILE, InfoClass.FILE_STANDARD_INFORMATION, 1024, new byte[0], 0, 0,
                    FileId.RELATED).encode(b)),
                other.message(Smb2Command.CLOSE, Smb2Header.FLAG_RELATED, b -> new Close.Request(0, FileId.RELATED)
                    .encode(b))), true);
            var interim = other.receive();
            assertEquals(1, interim.size(), "only the CREATE is answered before the break is acknowledged");
            assertEquals(NtStatus.PENDING, interim.getFirst().status());

            var notice = holder.receive().getFirst();
            assertEquals(Smb2Command.OPLOCK_BREAK, notice.header().command());
            holder.call(Smb2Command.OPLOCK_BREAK, b -> new OplockBreakMessage.Oplock(OplockLevel.LEVEL_II, held)
                .encode(b));

            var done = other.receive();
            assertEquals(Smb2Command.CREATE, done.getFirst().header().command());
            assertEquals(NtStatus.SUCCESS, done.getFirst().status());
            var rest = done.size() > 1 ? done.subList(1, done.size()) : other.receive();
            assertEquals(2, rest.size());
            assertEquals(Smb2Command.QUERY_INFO, rest.get(0).header().command());
            assertEquals(NtStatus.SUCCESS, rest.get(0).status(), "the related query reached the new handle");
            assertEquals(NtStatus.SUCCESS, rest.get(1).status());
            assertTrue(rest.get(0).header().isSigned());
        }
    }
}
