package org.bladeshare.console.ui;

import org.bladeshare.console.ConsoleServer;
import org.bladeshare.console.port.ConsoleBackend;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServletService;

/**
 * Finds the backend of the console that serves the current request: the servlet context
 * attribute {@link ConsoleServer#BACKEND_ATTRIBUTE}, one per deployment, so several consoles
 * in one JVM each see their own backend. Call it while Vaadin handles a request (view
 * constructors, listeners), where {@link VaadinService#getCurrent()} is set.
 */
public final class ConsoleBackends {

    private ConsoleBackends() {
    }

    public static ConsoleBackend current() {
        if (!(VaadinService.getCurrent() instanceof VaadinServletService service)) {
            throw new IllegalStateException("No Vaadin servlet request is being handled on this thread.");
        }
        Object backend = service.getServlet().getServletContext().getAttribute(ConsoleServer.BACKEND_ATTRIBUTE);
        if (!(backend instanceof ConsoleBackend consoleBackend)) {
            throw new IllegalStateException("The servlet context has no " + ConsoleServer.BACKEND_ATTRIBUTE
                    + " attribute: the console must be started by ConsoleServer.");
        }
        return consoleBackend;
    }
}
