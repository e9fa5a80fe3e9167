package org.bladeshare.console.ui;

import org.bladeshare.console.port.ConsoleBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.AbstractLogin.LoginEvent;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.FlexComponent.JustifyContentMode;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;

/**
 * The console's login: Vaadin's login form (its inputs {@code input[name=username]} and
 * {@code input[type=password]} are in the light DOM, Enter submits), checked by
 * {@link ConsoleBackend#authenticate}. A wrong password leaves the form with its error
 * message shown.
 */
@Route(LoginView.ROUTE)
@PageTitle("Log in · Bladeshare console")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    public static final String ROUTE = "login";

    private static final Logger LOG = LoggerFactory.getLogger(LoginView.class);

    private final ConsoleBackend backend = ConsoleBackends.current();
    private final LoginForm form = new LoginForm(i18n());

    public LoginView() {
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);

        H1 title = new H1("Bladeshare");
        title.getStyle().set("margin", "0");
        Paragraph subtitle = new Paragraph("Cluster console — log in as the appliance administrator (admin).");
        subtitle.getStyle().set("color", "var(--lumo-secondary-text-color)").set("margin", "0");

        form.setForgotPasswordButtonVisible(false);
        form.addLoginListener(this::login);
        add(title, subtitle, form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (ConsoleLogin.isLoggedIn()) {
            event.forwardTo(NodesView.class);
        }
    }

    private void login(LoginEvent event) {
        boolean accepted;
        try {
            accepted = backend.authenticate(event.getUsername(), event.getPassword());
        } catch (RuntimeException e) {
            LOG.warn("The backend failed to check a console login for user {}", event.getUsername(), e);
            accepted = false;
        }
        if (!accepted) {
            LOG.info("Console login refused for user {}", event.getUsername());
            form.setError(true);
            form.setEnabled(true);
            clearFieldsForTheNextTry();
            return;
        }
        // A new HTTP session id after login, so an id planted before it is worthless (session fixation).
        VaadinService.reinitializeSession(VaadinRequest.getCurrent());
        new ConsoleLogin(event.getUsername()).storeIn(VaadinSession.getCurrent());
        LOG.info("Console login for user {}", event.getUsername());
        getUI().ifPresent(ui -> ui.navigate(NodesView.class));
    }

    /**
     * Empties both fields and focuses the user name, so the next try starts clean: typing the
     * user name again does not append it to what is left from the wrong try.
     */
    private void clearFieldsForTheNextTry() {
        form.getElement().executeJs("""
                const fields = this.querySelectorAll('vaadin-text-field, vaadin-password-field');
                fields.forEach(field => { field.value = ''; });
                if (fields.length > 0) { fields[0].focus(); }
                """);
    }

    private static LoginI18n i18n() {
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getForm().setTitle("Log in");
        i18n.getForm().setUsername("User name");
        i18n.getErrorMessage().setTitle("Wrong user name or password");
        i18n.getErrorMessage().setMessage("Check the user name and password and try again.");
        return i18n;
    }
}
