package org.bladeshare.cluster.recovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The split-brain guard (CTDB's recovery lock): a byte-range lock on one byte of a file on
 * the shared filesystem. Only the coordinator holding it runs recovery, so in a partition
 * only one side serves. The operating system drops the lock when the process dies.
 */
public final class RecoveryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryLock.class);
    public static final String FILE_NAME = "recovery.lock";

    private final Path file;
    private FileChannel channel;
    private FileLock lock;

    public RecoveryLock(Path sharedDir) {
        this.file = sharedDir.resolve(FILE_NAME);
    }

    /** Takes the lock if it is free; true if this node holds it now. Never blocks. */
    public synchronized boolean tryAcquire() {
        if (lock != null && lock.isValid()) {
            return true;
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock(0, 1, false);
            if (l == null) {
                ch.close();
                return false;
            }
            channel = ch;
            lock = l;
            return true;
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch); // another node in this JVM holds it
            return false;
        } catch (IOException e) {
            closeQuietly(ch);
            LOG.warn("cannot take the recovery lock {}: {}", file, e.getMessage());
            return false;
        }
    }

    public synchronized boolean held() {
        return lock != null && lock.isValid();
    }

    public synchronized void release() {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("releasing {}: {}", file, e.getMessage());
            }
            lock = null;
        }
        closeQuietly(channel);
        channel = null;
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        release();
    }
}
