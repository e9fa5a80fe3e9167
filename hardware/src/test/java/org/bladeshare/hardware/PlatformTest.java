package org.bladeshare.hardware;

import org.bladeshare.hardware.net.Nic;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PlatformTest {

    @Test
    void linuxPlatformReportsTheRealLoopbackWithItsAddress() {
        List<Nic> nics = Platform.select("linux").network().nics();
        Nic lo = nics.stream().filter(Nic::loopback).findFirst().orElseThrow();
        assertTrue(lo.up(), "loopback is up");
        assertTrue(lo.addresses().contains("127.0.0.1/8"), () -> "loopback addresses: " + lo.addresses());
    }

    @Test
    void linuxNicsAreSortedByNameAndMatchTheKernelsList() throws Exception {
        List<Nic> nics = Platform.select("linux").network().nics();
        List<String> names = nics.stream().map(Nic::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
        try (var dir = java.nio.file.Files.list(java.nio.file.Path.of("/sys/class/net"))) {
            List<String> kernel = dir.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(kernel.containsAll(names), () -> "kernel " + kernel + " vs " + names);
        }
    }

    @Test
    void simulatedBladeHasFrontPanelPorts() {
        Platform p = Platform.select("simulated");
        assertEquals("simulated", p.kind());
        assertEquals(List.of("eth0", "eth1", "lo"), p.network().nics().stream().map(Nic::name).toList());
    }

    @Test
    void unknownPlatformIsRefusedWithASentence() {
        var e = assertThrows(IllegalArgumentException.class, () -> Platform.select("sparc"));
        assertTrue(e.getMessage().contains("use linux, simulated or auto"));
    }
}
