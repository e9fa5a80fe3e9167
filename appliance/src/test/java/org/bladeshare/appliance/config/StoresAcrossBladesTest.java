package org.bladeshare.appliance.config;

import org.bladeshare.cluster.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Users and shares on three real blades (JGroups on loopback, MapDB on disk): an admin on each
 * blade adding the same name at the same moment gets exactly one success; the others are told the
 * name exists, and every blade ends with the winner's record.
 */
class StoresAcrossBladesTest {
    private static TestNodes blades;

    @BeforeAll
    static void startBlades() throws Exception {
        Path dir = Files.createTempDirectory("stores-blades");
        Files.createDirectories(dir.resolve("shared/a"));
        blades = new TestNodes(dir, 3).startAll();
        blades.awaitConverged(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBlades() {
        if (blades != null) {
            blades.close();
        }
    }

    @Test
    void sameUserAddedOnEveryBladeAtOnceExistsOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "carol" + round;
            List<String> outcomes = race(pnn -> {
                new UserStore(blades.node(pnn).persistent(UserStore.DB)).add(name, "pw-from-blade-" + pnn);
                return "added";
            });
            assertEquals(1, outcomes.stream().filter("added"::equals).count(), "one blade adds " + name + ": " + outcomes);
            assertEquals(2, outcomes.stream().filter(o -> o.contains("exists already")).count(), outcomes.toString());
            byte[] hash = new UserStore(blades.node(0).persistent(UserStore.DB)).ntHash(name).orElseThrow();
            for (int pnn = 1; pnn < 3; pnn++) {
                assertArrayEquals(hash, new UserStore(blades.node(pnn).persistent(UserStore.DB)).ntHash(name).orElseThrow(),
                        "blade " + pnn + " holds the winner's password");
            }
        }
    }

    @Test
    void sameShareRemovedOnEveryBladeAtOnceIsRemovedOnce() throws Exception {
        String path = blades.config(0).sharedDir().resolve("a").toString();
        new ShareStore(blades.node(0).persistent(ShareStore.DB)).add("docs", path, "", false, false);
        List<String> outcomes = race(pnn -> {
            new ShareStore(blades.node(pnn).persistent(ShareStore.DB)).remove("docs");
            return "removed";
        });
        assertEquals(1, outcomes.stream().filter("removed"::equals).count(), outcomes.toString());
        assertEquals(2, outcomes.stream().filter(o -> o.equals("no share 'docs'")).count(), outcomes.toString());
        for (int pnn = 0; pnn < 3; pnn++) {
            assertTrue(new ShareStore(blades.node(pnn).persistent(ShareStore.DB)).find("docs").isEmpty());
        }
    }

    interface BladeAction {
        String run(int pnn) throws Exception;
    }

    /** Runs the action on the three blades at once; each outcome is its result or its error's message. */
    private static List<String> race(BladeAction action) throws Exception {
        CyclicBarrier start = new CyclicBarrier(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int pnn = 0; pnn < 3; pnn++) {
                int p = pnn;
                Callable<String> c = () -> {
                    start.await();
                    try {
                        return action.run(p);
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                };
                futures.add(pool.submit(c));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
