package org.bladeshare.smb.state;

/**
 * A stable identity of a file across nodes and renames: the device and inode of the shared
 * cluster filesystem (Samba's {@code file_id}); the key of the share-mode and lock records.
 */
public record FileKey(long device, long inode) {
    /** The record key: {@code f:} and 32 hex digits. */
    public String key() {
        return String.format("f:%016x%016x", device, inode);
    }

    /** The file whose record key this is; empty for a key that is not a file key. */
    public static java.util.Optional<FileKey> fromKey(String key) {
        if (key == null || key.length() != 34 || !key.startsWith("f:")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new FileKey(Long.parseUnsignedLong(key.substring(2, 18), 16),
                Long.parseUnsignedLong(key.substring(18), 16)));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    void write(Bytes.Writer w) {
        w.i64(device).i64(inode);
    }

    static FileKey read(Bytes.Reader r) {
        return new FileKey(r.i64(), r.i64());
    }

    public byte[] encode() {
        var w = new Bytes.Writer();
        write(w);
        return w.toBytes();
    }

    public static FileKey decode(byte[] data) {
        var r = new Bytes.Reader(data, "FileKey");
        FileKey k = read(r);
        r.end();
        return k;
    }
}
