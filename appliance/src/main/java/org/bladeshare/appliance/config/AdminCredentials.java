package org.bladeshare.appliance.config;

import org.bladeshare.cluster.db.PersistentDb;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The console administrator's password, cluster-wide, kept only as a salted
 * PBKDF2-HMAC-SHA256 hash in the persistent {@code console} database.
 */
public final class AdminCredentials {
    public static final String DB = "console";
    public static final String ADMIN_USER = "admin";
    private static final String KEY = "admin-password";
    private static final int ITERATIONS = 120_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final PersistentDb db;

    public AdminCredentials(PersistentDb db) {
        this.db = db;
    }

    public boolean isSet() {
        return db.get(KEY).isPresent();
    }

    public void setPassword(String password) {
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("the admin password must have at least 8 characters");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String stored = "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(pbkdf2(password, salt, ITERATIONS));
        db.put(KEY, stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether user and password are the administrator's; false when no password is set yet. */
    public boolean check(String user, String password) {
        if (!ADMIN_USER.equals(user) || password == null) {
            return false;
        }
        Optional<byte[]> stored = db.get(KEY);
        if (stored.isEmpty()) {
            return false;
        }
        String[] parts = new String(stored.get(), java.nio.charset.StandardCharsets.UTF_8).split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, pbkdf2(password, salt, Integer.parseInt(parts[1])));
    }

    /** A password a person can read aloud: 16 characters from an alphabet without look-alikes. */
    public static String generatePassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 missing from this JDK", e);
        }
    }
}
