package org.bladeshare.cluster.transport;

import org.bladeshare.cluster.wire.Envelope;
import org.bladeshare.cluster.wire.WireCodec;
import org.bladeshare.cluster.wire.WireFormatException;
import org.bladeshare.cluster.wire.WireMessage;
import org.bladeshare.cluster.wire.WireMessage.Done;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Request/reply and one-way messaging between nodes over a JChannel, with {@link WireCodec}
 * framing. Requests waiting on a node that leaves the view fail with
 * {@link MemberLeftException} at once instead of timing out.
 *
 * <p>Handlers registered {@code inline} run on JGroups' delivery thread, so messages from one
 * sender are handled in the order sent; they must not wait on the network. Other handlers
 * run on virtual threads.
 */
public final class Messenger implements Receiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Messenger.class);

    /** Handles one request; returns the reply (null means {@link Done#OK}). */
    @FunctionalInterface
    public interface Handler<T extends WireMessage> {
        WireMessage handle(Address from, T message) throws Exception;
    }

    private record Registration(Handler<WireMessage> handler, boolean inline) {
    }

    private record Pending(Address target, CompletableFuture<WireMessage> reply) {
    }

    private final Map<Class<?>, Registration> handlers = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final MessageCounter counter = new MessageCounter();
    private final Consumer<View> viewListener;
    private volatile JChannel channel;
    private volatile Set<Address> members = Set.of();

    public Messenger(Consumer<View> viewListener) {
        this.viewListener = viewListener;
    }

    public void attach(JChannel channel) {
        this.channel = channel;
        channel.setReceiver(this);
    }

    @SuppressWarnings("unchecked")
    public <T extends WireMessage> void handle(Class<T> type, boolean inline, Handler<T> handler) {
        handlers.put(type, new Registration((Handler<WireMessage>) handler, inline));
    }

    public MessageCounter counter() {
        return counter;
    }

    public Address self() {
        return channel.getAddress();
    }

    /** Sends a one-way message. */
    public void send(Address to, WireMessage message) throws IOException {
        transmit(to, new Envelope(0, false, message));
    }

    /** Sends a request and waits for its reply. */
    public WireMessage call(Address to, WireMessage request, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<WireMessage> f = request(to, request);
        return await(f, System.nanoTime() + timeout.toNanos(), to);
    }

    /**
     * Sends the request to every target and waits for all replies. Targets that leave the
     * view before answering are left out of the result.
     */
    public Map<Address, WireMessage> callAll(Collection<Address> targets, WireMessage request, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Address, CompletableFuture<WireMessage>> futures = new LinkedHashMap<>();
        for (Address t : targets) {
            futures.put(t, request(t, request));
        }
        Map<Address, WireMessage> replies = new LinkedHashMap<>();
        for (var e : futures.entrySet()) {
            try {
                replies.put(e.getKey(), await(e.getValue(), deadline, e.getKey()));
            } catch (MemberLeftException gone) {
                // it left: it no longer needs (or can give) an answer
            }
        }
        return replies;
    }

    /** Sends each target its own request and waits for all replies; leavers are left out. */
    public Map<Address, WireMessage> callEach(Map<Address, ? extends WireMessage> requests, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Address, CompletableFuture<WireMessage>> futures = new LinkedHashMap<>();
        requests.forEach((t, m) -> futures.put(t, request(t, m)));
        Map<Address, WireMessage> replies = new LinkedHashMap<>();
        for (var e : futures.entrySet()) {
            try {
                replies.put(e.getKey(), await(e.getValue(), deadline, e.getKey()));
            } catch (MemberLeftException gone) {
                // it left
            }
        }
        return replies;
    }

    private CompletableFuture<WireMessage> request(Address to, WireMessage request) {
        long id = nextId.getAndIncrement();
        CompletableFuture<WireMessage> f = new CompletableFuture<>();
        pending.put(id, new Pending(to, f));
        if (!members.contains(to)) {
            pending.remove(id);
            f.completeExceptionally(new MemberLeftException(to + " is not a member"));
            return f;
        }
        try {
            transmit(to, new Envelope(id, false, request));
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    private WireMessage await(CompletableFuture<WireMessage> f, long deadline, Address to)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("request to " + to + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new NoReplyException(to);
        } finally {
            if (f.isDone()) {
                pending.values().removeIf(p -> p.reply() == f);
            }
        }
    }

    private void transmit(Address to, Envelope envelope) throws IOException {
        JChannel ch = channel;
        if (ch == null || ch.isClosed()) {
            throw new IOException("this node is not connected to the cluster");
        }
        byte[] frame = WireCodec.encode(envelope);
        if (!to.equals(ch.getAddress())) {
            counter.sent(envelope.body().getClass().getSimpleName());
        }
        try {
            if (ch.isConnected()) {
                ch.send(new BytesMessage(to, frame));
            } else {
                // connect() delivers the first view, and requests from the coordinator, before
                // it marks the channel connected: answer them through the stack directly
                ch.down(new BytesMessage(to, frame));
            }
        } catch (Exception e) {
            throw new IOException("cannot send to " + to + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void receive(Message msg) {
        Envelope env;
        try {
            env = WireCodec.decode(msg.getArray(), msg.getOffset(), msg.getLength());
        } catch (WireFormatException e) {
            LOG.warn("dropping message from {}: {}", msg.getSrc(), e.getMessage());
            return;
        }
        if (env.reply()) {
            Pending p = pending.remove(env.requestId());
            if (p != null) {
                p.reply().complete(env.body());
            }
            return;
        }
        Address from = msg.getSrc();
        Registration reg = handlers.get(env.body().getClass());
        if (reg == null) {
            reply(from, env, Done.failed("no handler for " + env.body().getClass().getSimpleName()));
            return;
        }
        Runnable run = () -> {
            WireMessage answer;
            try {
                answer = reg.handler().handle(from, env.body());
            } catch (Exception e) {
                LOG.debug("request {} from {} failed", env.body().getClass().getSimpleName(), from, e);
                answer = Done.failed(String.valueOf(e.getMessage()));
            }
            reply(from, env, answer == null ? Done.OK : answer);
        };
        if (reg.inline()) {
            run.run();
        } else {
            try {
                workers.execute(run);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // shutting down
            }
        }
    }

    private void reply(Address to, Envelope request, WireMessage answer) {
        if (request.requestId() == 0) {
            return;
        }
        try {
            transmit(to, new Envelope(request.requestId(), true, answer));
        } catch (IOException e) {
            LOG.debug("cannot reply to {}: {}", to, e.getMessage());
        }
    }

    @Override
    public void viewAccepted(View view) {
        members = Set.copyOf(view.getMembers());
        pending.entrySet().removeIf(e -> {
            if (!members.contains(e.getValue().target())) {
                e.getValue().reply().completeExceptionally(
                        new MemberLeftException(e.getValue().target() + " left the cluster"));
                return true;
            }
            return false;
        });
        viewListener.accept(view);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        pending.values().forEach(p -> p.reply().completeExceptionally(new IOException("this node is closing")));
        pending.clear();
    }
}
