package org.bladeshare.smb.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.bladeshare.smb.auth.Crypto;
import org.bladeshare.smb.server.ServerContext;
import org.bladeshare.smb.server.ShareConfig;
import org.bladeshare.smb.smb2.FileId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Runs the server's data path once at start, over its own loopback socket, before clients do.
 *
 * <p>On a fresh JVM the first gigabytes a client moves pay for the JIT compiler: on two cores,
 * C2 compiling the socket, framing, signing and file paths took a third or more of a 1 GiB
 * smbclient put's CPU, and it kept compiling for several GiB more because per-request code
 * reaches C2's thresholds only after thousands of requests. This client makes those requests
 * first: it logs on as smbclient and Windows 11 do (SMB 3.1.1, AES-GMAC signing), writes and
 * reads a file with 1 MiB WRITEs and READs and many small ones, keeping a window of them in
 * flight as those clients do (a lone request at a time leaves the paths of a busy connection cold:
 * frames that share a socket read, WRITEs that overlap, a full send buffer), and creates small
 * files. It logs on as an ephemeral user with a random 256-bit password that exists only in this
 * process for the run, into an ephemeral, unlisted share of an empty scratch directory that is
 * removed afterwards ({@link ServerContext#admitEphemeral}), in memory where it can be
 * ({@link #scratchRoot}), so the warm-up neither writes to the data disk nor slows its allocator.
 * The JIT still compiles some code once real clients come (hundreds of methods in a first 1 GiB
 * put, mostly Netty's and the JDK's), far less than without the warm-up.
 */
public final class DataPathWarmUp {
    private static final int LARGE_WRITE = 1024 * 1024;
    private static final int LARGE_READ = 1024 * 1024;
    private static final int SMALL = 4096;
    /** Mid-sized requests: a WRITE that spans socket reads, a READ just past the inline size (64 KiB). */
    private static final int MID_WRITE = 64 * 1024;
    private static final int MID_READ = 72 * 1024;
    private static final int SMALL_NAMES = 16;
    /** Scratch directories are named PREFIX + the owner's pid + "-" + a random number. */
    static final String PREFIX = "smb-warm-up-";
    /** Free space a memory file system needs to hold the warm-up's files, with room to spare. */
    private static final long SCRATCH_NEEDED = 256L * 1024 * 1024;
    /** Bytes of WRITEs or READs kept in flight, as smbclient keeps (its cli_push and cli_pull window). */
    private static final int WINDOW = 16 * 1024 * 1024;
    /** Mid-sized requests go in turns of this many, all in flight at once. */
    private static final int MID_TURN = 16;
    /** The file the large requests cycle over; it stays in the page cache. */
    private static final int FILE_SIZE = 64 * 1024 * 1024;

    /** What a run did. */
    public record Result(long bytesWritten, long bytesRead, int requests, long millis) {
    }

    /**
     * How much a run does: 1 MiB WRITEs and READs, then mid-sized requests (WRITEs of 64 KiB
     * and READs of 72 KiB in turn: the large requests' code paths, thousands of times, cheaply),
     * then small files created or overwritten, written with 4 KiB and closed.
     */
    public record Plan(int largeWrites, int largeReads, int smallRequests, int smallFiles) {
        public Plan {
            if (largeWrites < 1 || largeReads < 0 || smallRequests < 0 || smallFiles < 0) {
                throw new IllegalArgumentException("a warm-up writes at least once and counts nothing negative");
            }
        }

        /**
         * About 1.5 GiB written, 1 GiB read and 41,000 requests: eight to twelve seconds of a fresh
         * node's two cores. A GiB of 1 MiB WRITEs and 16,000 mid-sized requests because the
         * per-request and per-socket-read code reaches C2 only after thousands of calls: with 192
         * WRITEs, 128 READs and 4,000 mid-sized requests, C2 still took 14-15 % of the machine in a
         * client's first two 1 GiB puts (measured with perf; 2-9 % with this plan). Eight thousand
         * small files because code run once per file (CREATE's and CLOSE's) reaches C2 after some
         * 5,000 calls: with a thousand, a client's second and third batch of 2,000 files still
         * waited on the compiler (smbclient's mput 1.5 s, 1.1-1.3 s once compiled).
         */
        public static final Plan DEFAULT = new Plan(1024, 512, 16_000, 8000);
    }

    private DataPathWarmUp() {
    }

    /** Runs {@code plan} against the server listening at {@code address}; throws when any request fails. */
    public static Result run(ServerContext server, InetSocketAddress address, Plan plan) throws IOException {
        long t0 = System.nanoTime();
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String suffix = HexFormat.of().formatHex(secret, 0, 4);
        String user = "bladeshare-warm-up-" + suffix;
        byte[] ntHash = Crypto.ntHash(HexFormat.of().formatHex(secret));
        Path root = scratchRoot();
        boolean inMemory = !root.equals(Path.of(System.getProperty("java.io.tmpdir")));
        removeLeftovers(root);
        Path dir = Files.createTempDirectory(root, PREFIX + ProcessHandle.current().pid() + "-");
        ShareConfig share = new ShareConfig("warm-up-" + suffix, dir, "", false, false);
        long written = 0;
        long read = 0;
        int requests = 0;
        try (AutoCloseable admitted = server.admitEphemeral(user, ntHash, share);
             LoopbackClient client = new LoopbackClient(address)) {
            client.negotiate();
            client.logOn(user, ntHash);
            client.connectTree(share.name());
            FileId file = client.create("data.bin", true);
            ByteBuf large = randomBuffer(random, LARGE_WRITE);
            ByteBuf small = randomBuffer(random, SMALL);
            try {
                long[] largeAt = new long[plan.largeWrites()];
                for (int i = 0; i < largeAt.length; i++) {
                    largeAt[i] = (long) i * LARGE_WRITE % FILE_SIZE;
                }
                written += client.writeAll(file, large, largeAt, WINDOW / LARGE_WRITE);
                long size = Math.min(FILE_SIZE, (long) plan.largeWrites() * LARGE_WRITE);
                long[] readAt = new long[plan.largeReads()];
                for (int i = 0; i < readAt.length; i++) {
                    readAt[i] = (long) i * LARGE_READ % size;
                }
                read += client.readAll(file, LARGE_READ, readAt, WINDOW / LARGE_READ);
                // mid-sized requests: half WRITEs, half READs, in turns of a window's worth each
                ByteBuf mid = large.slice(0, MID_WRITE);
                int midWrites = (plan.smallRequests() + 1) / 2;
                int midReads = plan.smallRequests() / 2;
                for (int w = 0, r = 0; w < midWrites || r < midReads; ) {
                    int turn = Math.min(MID_TURN, midWrites - w);
                    if (turn > 0) {
                        written += client.writeAll(file, mid, midOffsets(w, turn, size), turn);
                        w += turn;
                    }
                    turn = Math.min(MID_TURN, midReads - r);
                    if (turn > 0) {
                        read += client.readAll(file, MID_READ, midOffsets(r, turn, size), turn);
                        r += turn;
                    }
                }
                client.close(file);
                requests += 2 + plan.largeWrites() + plan.largeReads() + plan.smallRequests();
                for (int i = 0; i < plan.smallFiles(); i++) {
                    // In memory, a new file each time, as a client's copy makes them. On disk,
                    // sixteen names overwritten in turn and deleted in the last round: new inodes
                    // freed by the thousand would slow the file system's next allocations for a
                    // minute or more (ext4 skips recently deleted inodes), clients' files included.
                    FileId f = inMemory ? client.create("small-" + i, false)
                        : client.create("small-" + i % SMALL_NAMES, i >= plan.smallFiles() - SMALL_NAMES);
                    client.write(f, 0, small.duplicate());
                    client.close(f);
                    written += SMALL;
                    requests += 3;
                }
            } finally {
                large.release();
                small.release();
            }
            client.logOff();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("warm-up failed: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
        return new Result(written, read, requests + 4, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Where the warm-up's scratch share goes: {@code /dev/shm} when it is a tmpfs with room for the
     * run (its files cost no disk writes and its deleted inodes slow no later allocation), else
     * the JVM's temporary directory.
     */
    static Path scratchRoot() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && "tmpfs".equals(Files.getFileStore(shm).type())
                && Files.getFileStore(shm).getUsableSpace() >= SCRATCH_NEEDED) {
                return shm;
            }
        } catch (IOException | SecurityException e) {
            // not usable: fall back to the temporary directory
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Removes the scratch directories of warm-ups whose process is gone: a node stopped or killed
     * in the seconds its warm-up runs leaves its files behind, in memory when the root is a tmpfs.
     * A directory names its owner's pid; one named before that, with no pid, goes once it is an
     * hour old (a warm-up takes seconds). Directories of live processes, this one's included, stay.
     */
    static void removeLeftovers(Path root) {
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.filter(e -> e.getFileName().toString().startsWith(PREFIX)).toList()) {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                boolean gone;
                if (dash > 0) {
                    long owner = Long.parseLong(rest.substring(0, dash));
                    gone = owner != self && ProcessHandle.of(owner).map(h -> !h.isAlive()).orElse(true);
                } else {
                    gone = Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(Duration.ofHours(1)));
                }
                if (gone && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                }
            }
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            // an unreadable root or a stranger's name: leave it
        }
    }

    /** Offsets of mid-sized requests {@code first} to {@code first + count}, spread over the file. */
    private static long[] midOffsets(int first, int count, long size) {
        long[] at = new long[count];
        for (int i = 0; i < count; i++) {
            at[i] = (long) (first + i) * MID_WRITE % (size - MID_READ);
        }
        return at;
    }

    private static ByteBuf randomBuffer(SecureRandom random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return Unpooled.wrappedBuffer(bytes);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover empty directory in the node's tmp is harmless; it is not a share
        }
    }
}
