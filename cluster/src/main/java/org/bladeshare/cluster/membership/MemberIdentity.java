package org.bladeshare.cluster.membership;

import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A node's PNN and name carried inside its JGroups address (an {@link ExtendedUUID}), so any
 * view member maps to its peer-list entry with no extra hello message.
 */
public record MemberIdentity(int pnn, String name, boolean joinedStarting) {
    private static final String PNN = "bladeshare.pnn";
    private static final String NAME = "bladeshare.name";
    /** Present when the node joined while its services were still starting (UNHEALTHY until it says otherwise). */
    private static final String STARTING = "bladeshare.starting";

    public MemberIdentity(int pnn, String name) {
        this(pnn, name, false);
    }

    public ExtendedUUID newAddress() {
        ExtendedUUID a = ExtendedUUID.randomUUID(name);
        a.put(PNN, ByteBuffer.allocate(4).putInt(pnn).array());
        a.put(NAME, name.getBytes(StandardCharsets.UTF_8));
        if (joinedStarting) {
            a.put(STARTING, new byte[] {1});
        }
        return a;
    }

    /** The identity of a view member, empty for a member that is not a Bladeshare node. */
    public static Optional<MemberIdentity> of(Address address) {
        if (address instanceof ExtendedUUID u && u.keyExists(PNN) && u.keyExists(NAME)) {
            byte[] pnn = u.get(PNN);
            if (pnn.length == 4) {
                return Optional.of(new MemberIdentity(ByteBuffer.wrap(pnn).getInt(),
                        new String(u.get(NAME), StandardCharsets.UTF_8), u.keyExists(STARTING)));
            }
        }
        return Optional.empty();
    }
}
