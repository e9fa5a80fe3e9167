package org.bladeshare.console.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.server.VaadinSession;

/**
 * The frame of every view after login: title bar with the user and a log-out button, side
 * navigation to nodes, shares and users. {@link ConsoleAccessGuard} keeps browsers that have
 * not logged in out of it.
 */
public class MainLayout extends AppLayout {

    public MainLayout() {
        Span title = new Span("Bladeshare");
        title.getStyle().set("font-size", "var(--lumo-font-size-l)").set("font-weight", "600");
        Span user = new Span(ConsoleLogin.of(VaadinSession.getCurrent()).map(ConsoleLogin::user).orElse(""));
        user.getStyle().set("color", "var(--lumo-secondary-text-color)");
        Button logout = new Button("Log out", VaadinIcon.SIGN_OUT.create(), e -> logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        logout.setId("logout");

        HorizontalLayout bar = new HorizontalLayout(title, new Span(), user, logout);
        bar.setWidthFull();
        bar.setAlignItems(Alignment.CENTER);
        bar.expand(bar.getComponentAt(1));
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(new DrawerToggle(), bar);

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Nodes", NodesView.class, VaadinIcon.SERVER.create()));
        nav.addItem(new SideNavItem("Shares", SharesView.class, VaadinIcon.FOLDER_OPEN.create()));
        nav.addItem(new SideNavItem("Users", UsersView.class, VaadinIcon.USERS.create()));
        nav.getStyle().set("margin", "var(--lumo-space-s)");
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    private void logout() {
        VaadinSession session = VaadinSession.getCurrent();
        getUI().ifPresent(ui -> ui.getPage().setLocation(LoginView.ROUTE));
        session.getSession().invalidate();
    }
}
