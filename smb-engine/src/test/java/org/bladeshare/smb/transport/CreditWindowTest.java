package org.bladeshare.smb.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** [MS-SMB2] 3.3.1.2 sequence window: ids are used once, only when granted, multi-credit spans. */
class CreditWindowTest {
    @Test
    void startsWithMessageIdZeroOnly() {
        CreditWindow w = new CreditWindow();
        assertFalse(w.consume(1, 1));
        assertTrue(w.consume(0, 1));
        assertFalse(w.consume(0, 1), "reuse");
    }

    @Test
    void grantsOpenTheWindowAndMultiCreditRequestsSpanIds() {
        CreditWindow w = new CreditWindow();
        assertTrue(w.consume(0, 1));
        assertEquals(200, w.grant(200));
        assertTrue(w.consume(1, 128), "8 MiB read charges 128 credits");
        assertFalse(w.consume(100, 1), "inside an already charged span");
        assertTrue(w.consume(129, 72));
        assertFalse(w.consume(201, 1), "beyond the window");
        assertEquals(0, w.outstanding());
    }

    @Test
    void outOfOrderIdsAreAcceptedOnce() {
        CreditWindow w = new CreditWindow();
        w.consume(0, 1);
        w.grant(10);
        assertTrue(w.consume(5, 1));
        assertTrue(w.consume(1, 1));
        assertFalse(w.consume(5, 1));
        assertEquals(8, w.outstanding());
    }

    @Test
    void theWindowIsBoundedAndNeverLeavesTheClientWithoutCredit() {
        CreditWindow w = new CreditWindow();
        w.consume(0, 1);
        assertEquals(CreditWindow.MAX_OUTSTANDING, w.grant(65535));
        assertEquals(0, w.grant(100));
        CreditWindow empty = new CreditWindow();
        empty.consume(0, 1);
        assertEquals(1, empty.grant(0), "a client with no credit left gets one");
    }
}
