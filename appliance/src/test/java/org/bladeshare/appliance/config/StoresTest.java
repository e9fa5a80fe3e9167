package org.bladeshare.appliance.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

class StoresTest {

    @Test
    void ntHashMatchesTheNlmpTestVector() {
        // [MS-NLMP] 4.2.2.1.2: NTOWFv1("Password") = a4f49c406510bdcab6824ee7c30fd852
        assertEquals("a4f49c406510bdcab6824ee7c30fd852", HexFormat.of().formatHex(UserStore.ntOwf("Password")));
    }

    @Test
    void usersAreFoundCaseInsensitivelyAndKeepNoPassword() {
        InMemoryPersistentDb db = new InMemoryPersistentDb();
        UserStore users = new UserStore(db);
        users.add("Alice", "Secret-123");
        assertTrue(users.ntHash("ALICE").isPresent());
        assertArrayEquals(UserStore.ntOwf("Secret-123"), users.ntHash("alice").orElseThrow());
        String stored = new String(db.get("alice").orElseThrow(), StandardCharsets.UTF_8);
        assertFalse(stored.contains("Secret-123"), stored);
        assertEquals("Alice", users.list().getFirst().name());
    }

    @Test
    void addingAnExistingUserIsRefusedButPasswdChangesIt() {
        UserStore users = new UserStore(new InMemoryPersistentDb());
        users.add("bob", "first-pass");
        var e = assertThrows(IllegalArgumentException.class, () -> users.add("BOB", "x-pass"));
        assertTrue(e.getMessage().contains("exists already"));
        users.setPassword("bob", "second-pass");
        assertArrayEquals(UserStore.ntOwf("second-pass"), users.ntHash("bob").orElseThrow());
    }

    @Test
    void badUserNamesAndPasswordsAreSentences() {
        UserStore users = new UserStore(new InMemoryPersistentDb());
        assertThrows(IllegalArgumentException.class, () -> users.add("a/b", "pw-123456"));
        assertThrows(IllegalArgumentException.class, () -> users.add("", "pw-123456"));
        assertThrows(IllegalArgumentException.class, () -> users.add("carol", ""));
        assertTrue(users.list().isEmpty(), "nothing half-stored");
    }

    @Test
    void sharesNeedAnExistingAbsoluteDirectory(@TempDir Path dir) {
        ShareStore shares = new ShareStore(new InMemoryPersistentDb());
        shares.add("public", dir.toString(), "", false, false);
        assertEquals(dir.toString(), shares.find("PUBLIC").orElseThrow().path());
        assertThrows(IllegalArgumentException.class, () -> shares.add("other", "relative/path", "", false, false));
        assertThrows(IllegalArgumentException.class, () -> shares.add("gone", dir.resolve("missing").toString(), "", false, false));
        assertThrows(IllegalArgumentException.class, () -> shares.add("IPC$", dir.toString(), "", false, false));
        assertThrows(IllegalArgumentException.class, () -> shares.add("bad:name", dir.toString(), "", false, false));
        assertThrows(IllegalArgumentException.class, () -> shares.add("Public", dir.toString(), "", false, false));
    }

    @Test
    void adminPasswordIsHashedAndChecked() {
        InMemoryPersistentDb db = new InMemoryPersistentDb();
        AdminCredentials admin = new AdminCredentials(db);
        assertFalse(admin.isSet());
        assertFalse(admin.check("admin", "anything"), "no password set: nobody gets in");
        admin.setPassword("Console-pass-1");
        assertTrue(admin.check("admin", "Console-pass-1"));
        assertFalse(admin.check("admin", "console-pass-1"));
        assertFalse(admin.check("root", "Console-pass-1"));
        String stored = new String(db.snapshot().values().iterator().next(), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("pbkdf2-sha256$"), stored);
        assertFalse(stored.contains("Console-pass-1"));
        assertThrows(IllegalArgumentException.class, () -> admin.setPassword("short"));
    }
}
