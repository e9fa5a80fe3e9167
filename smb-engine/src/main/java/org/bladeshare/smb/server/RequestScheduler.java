package org.bladeshare.smb.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs one connection's work in arrival order, except that consecutive overlapping tasks (WRITEs
 * to files, see {@link SmbConnection#isFileWrite}) may run alongside one another, up to
 * {@code maxOverlap} at a time. Everything else ({@link #execute}) runs alone: it starts once
 * every task before it has finished, and no later task starts until it has finished.
 *
 * <p>[MS-SMB2] 3.3.5.2 leaves a server free to process a connection's requests concurrently, and a
 * client that keeps several WRITEs in flight (smbclient keeps a 16 MiB window; Windows several
 * 1 MiB WRITEs) waits for their responses before it relies on their effect. Overlapping them lets
 * one WRITE's signature check run on one core while another's copy into the page cache runs on the
 * next, as Samba's aio thread pool does (smbclient put of 1 GiB: 35-75 % faster on two cores).
 * CLOSE, FLUSH, LOCK, READ, SET_INFO and the rest still see every earlier WRITE complete, and
 * every later request sees them complete.
 *
 * <p>{@link #executeHereIfIdle} runs a task on the caller's thread (the connection's event loop)
 * when nothing else of the connection is queued or running, as Samba's smbd serves a client's
 * requests in its own process: for small requests the two thread handoffs cost more than the work.
 */
final class RequestScheduler implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(RequestScheduler.class);

    private record Task(Runnable work, boolean overlaps) {
    }

    private final Executor backing;
    private final int maxOverlap;
    private final ArrayDeque<Task> waiting = new ArrayDeque<>();
    private int runningOverlapping;
    private boolean runningAlone;

    RequestScheduler(Executor backing, int maxOverlap) {
        if (maxOverlap < 1) {
            throw new IllegalArgumentException("maxOverlap must be at least 1");
        }
        this.backing = backing;
        this.maxOverlap = maxOverlap;
    }

    /** Runs {@code task} alone, after everything submitted before it. */
    @Override
    public void execute(Runnable task) {
        submit(new Task(task, false));
    }

    /**
     * Runs {@code task} alone on the calling thread when nothing of this connection is queued or
     * running; otherwise queues it as {@link #executeOverlapping} ({@code overlaps}) or
     * {@link #execute} would. Returns whether it ran here.
     */
    boolean executeHereIfIdle(Runnable task, boolean overlaps) {
        Task here = new Task(task, false);
        synchronized (this) {
            if (runningAlone || runningOverlapping > 0 || !waiting.isEmpty()) {
                here = null;
            } else {
                runningAlone = true;
            }
        }
        if (here == null) {
            submit(new Task(task, overlaps));
            return false;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("connection task failed", e);
        } finally {
            Task next = finish(here);
            if (next != null) {
                launch(next); // what queued meanwhile runs on the backing executor, not here
            }
        }
        return true;
    }

    /** Runs {@code task} after the last exclusive task before it, alongside other overlapping ones. */
    void executeOverlapping(Runnable task) {
        submit(new Task(task, true));
    }

    /** How many tasks are queued or running (for tests). */
    synchronized int pending() {
        return waiting.size() + runningOverlapping + (runningAlone ? 1 : 0);
    }

    private void submit(Task task) {
        List<Task> start;
        synchronized (this) {
            waiting.add(task);
            start = startable();
        }
        start.forEach(this::launch);
    }

    /** Takes the tasks that may start now off the queue and counts them as running (under the lock). */
    private List<Task> startable() {
        List<Task> start = List.of();
        while (!runningAlone && !waiting.isEmpty()) {
            Task next = waiting.peek();
            if (next.overlaps()) {
                if (runningOverlapping >= maxOverlap) {
                    break;
                }
                runningOverlapping++;
            } else {
                if (runningOverlapping > 0) {
                    break;
                }
                runningAlone = true;
            }
            waiting.poll();
            if (start.isEmpty()) {
                start = new ArrayList<>(2);
            }
            start.add(next);
        }
        return start;
    }

    private void launch(Task task) {
        try {
            backing.execute(() -> runFrom(task));
        } catch (RuntimeException rejected) { // the server is stopping: nothing more will run
            synchronized (this) {
                waiting.clear();
                runningOverlapping = 0;
                runningAlone = false;
            }
        }
    }

    /** Runs {@code task}, then keeps this thread for the next startable task and launches the others. */
    private void runFrom(Task task) {
        Task current = task;
        while (current != null) {
            try {
                current.work().run();
            } catch (RuntimeException e) {
                LOG.warn("connection task failed", e); // the connection's own handlers catch theirs
            } catch (Error e) {
                Task next = finish(current);
                if (next != null) {
                    launch(next);
                }
                throw e;
            }
            current = finish(current);
        }
    }

    /** Counts {@code done} as finished, launches what may start now, and returns one of them to run here. */
    private Task finish(Task done) {
        List<Task> start;
        synchronized (this) {
            if (done.overlaps()) {
                runningOverlapping--;
            } else {
                runningAlone = false;
            }
            start = startable();
        }
        for (int i = 1; i < start.size(); i++) {
            launch(start.get(i));
        }
        return start.isEmpty() ? null : start.getFirst();
    }
}
