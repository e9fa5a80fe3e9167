package org.bladeshare.console.ui;

import java.util.Optional;

import com.vaadin.flow.server.VaadinSession;

/** Who logged in to this browser session; absent until the backend accepted a password. */
public record ConsoleLogin(String user) {

    public static Optional<ConsoleLogin> of(VaadinSession session) {
        return Optional.ofNullable(session == null ? null : session.getAttribute(ConsoleLogin.class));
    }

    public static boolean isLoggedIn() {
        return of(VaadinSession.getCurrent()).isPresent();
    }

    void storeIn(VaadinSession session) {
        session.setAttribute(ConsoleLogin.class, this);
    }
}
