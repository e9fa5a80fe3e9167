package org.bladeshare.console.port;

import java.util.List;

/**
 * Everything the console and the REST API may ask of the appliance. The console knows
 * nothing else of the other modules; the appliance implements this port.
 */
public interface ConsoleBackend {
    /** Whether the console administrator's credentials are right. */
    boolean authenticate(String user, String password);

    /** The cluster's nodes in PNN order. */
    List<NodeView> nodes();

    List<ShareView> shares();

    List<UserView> users();
}
