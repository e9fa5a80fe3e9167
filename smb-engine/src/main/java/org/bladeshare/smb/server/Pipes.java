package org.bladeshare.smb.server;

import org.bladeshare.smb.erref.NtStatus;
import org.bladeshare.smb.erref.NtStatusException;
import org.bladeshare.smb.rpc.DcerpcPipe;
import org.bladeshare.smb.rpc.PipeEndpoint;
import org.bladeshare.smb.rpc.Srvsvc;

import java.util.Locale;

/** The named pipes IPC$ offers: srvsvc for share enumeration. Others fail as Windows does. */
final class Pipes {
    private Pipes() {
    }

    static PipeEndpoint open(Request req, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("\\pipe\\")) {
            n = n.substring(6);
        }
        while (n.startsWith("\\")) {
            n = n.substring(1);
        }
        if (n.equals("srvsvc")) {
            var shares = req.server().shares;
            return new DcerpcPipe("srvsvc", new Srvsvc(() -> Srvsvc.entries(shares.all())));
        }
        throw new NtStatusException(NtStatus.OBJECT_NAME_NOT_FOUND, "no pipe " + name);
    }
}
