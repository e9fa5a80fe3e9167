package org.bladeshare.smb.transport;

import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * GHASH, GCM's universal hash ([NIST SP 800-38D] 6.4), over whole 16-byte blocks: the heart of
 * AES-GMAC signing. {@link #create} returns the JDK's own GHASH, whose block loop HotSpot
 * replaces with a carry-less-multiply (PCLMULQDQ/AVX) stub, about 5 GB/s on one core here. It
 * lives in java.base's internal package com.sun.crypto.provider, which the JAR's manifest opens
 * ({@code Add-Opens}); where it is not open, a portable table-driven GHASH (BouncyCastle's
 * multiplier, about a tenth as fast) gives the same result.
 */
abstract class Ghash {
    static final int BLOCK = 16;
    private static final MethodHandle JDK_NEW;
    private static final MethodHandle JDK_UPDATE;
    private static final MethodHandle JDK_DIGEST;

    static {
        MethodHandle create = null;
        MethodHandle update = null;
        MethodHandle digest = null;
        try {
            Class<?> c = Class.forName("com.sun.crypto.provider.GHASH");
            Constructor<?> ctor = c.getDeclaredConstructor(byte[].class);
            Method up = c.getDeclaredMethod("update", byte[].class, int.class, int.class);
            Method dg = c.getDeclaredMethod("digest");
            ctor.setAccessible(true);
            up.setAccessible(true);
            dg.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            create = lookup.unreflectConstructor(ctor).asType(MethodType.methodType(Object.class, byte[].class));
            update = lookup.unreflect(up)
                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            digest = lookup.unreflect(dg).asType(MethodType.methodType(byte[].class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(Ghash.class).warn("the JDK's GHASH is not reachable ({}); AES-GMAC signing "
                + "uses a portable GHASH, about ten times slower: run with "
                + "--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED", e.toString());
        }
        JDK_NEW = create;
        JDK_UPDATE = update;
        JDK_DIGEST = digest;
    }

    /** Whether {@link #create} returns the JDK's intrinsic GHASH. */
    static boolean intrinsic() {
        return JDK_NEW != null;
    }

    /** A GHASH with hash subkey {@code h} (16 bytes, AES(K, 0^128)) and a zero state. */
    static Ghash create(byte[] h) {
        return intrinsic() ? new Jdk(h) : portable(h);
    }

    static Ghash portable(byte[] h) {
        return new Portable(h);
    }

    /** Folds {@code b[off, off + len)} into the state; {@code len} is a multiple of 16. */
    abstract void update(byte[] b, int off, int len);

    /** The state, 16 bytes, big-endian as GCM writes it. */
    abstract byte[] digest();

    private static final class Jdk extends Ghash {
        private final Object ghash;

        Jdk(byte[] h) {
            try {
                ghash = (Object) JDK_NEW.invokeExact(h);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void update(byte[] b, int off, int len) {
            try {
                int done = (int) JDK_UPDATE.invokeExact(ghash, b, off, len);
                assert done == len;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        byte[] digest() {
            try {
                return (byte[]) JDK_DIGEST.invokeExact(ghash);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Portable extends Ghash {
        private final Tables4kGCMMultiplier multiplier = new Tables4kGCMMultiplier();
        private final byte[] state = new byte[BLOCK];

        Portable(byte[] h) {
            multiplier.init(h.clone());
        }

        @Override
        void update(byte[] b, int off, int len) {
            for (int at = off; at < off + len; at += BLOCK) {
                for (int i = 0; i < BLOCK; i++) {
                    state[i] ^= b[at + i];
                }
                multiplier.multiplyH(state);
            }
        }

        @Override
        byte[] digest() {
            return state.clone();
        }
    }
}
