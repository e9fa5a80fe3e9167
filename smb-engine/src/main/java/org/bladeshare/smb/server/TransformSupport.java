package org.bladeshare.smb.server;

/** Whether the transform (encryption) path is implemented; negotiation offers ciphers only then. */
final class TransformSupport {
    static final boolean AVAILABLE = true;

    private TransformSupport() {
    }
}
