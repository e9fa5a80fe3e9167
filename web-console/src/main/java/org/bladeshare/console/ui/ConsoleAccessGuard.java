package org.bladeshare.console.ui;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;

/**
 * Sends every navigation of a browser that has not logged in to {@link LoginView}, before
 * the target view is even created (a UI-level before-enter listener runs ahead of the
 * route's own observers). Registered through
 * {@code META-INF/services/com.vaadin.flow.server.VaadinServiceInitListener}.
 */
public class ConsoleAccessGuard implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(this::guard));
    }

    private void guard(BeforeEnterEvent event) {
        if (event.getNavigationTarget() != LoginView.class && !ConsoleLogin.isLoggedIn()) {
            event.forwardTo(LoginView.class);
        }
    }
}
