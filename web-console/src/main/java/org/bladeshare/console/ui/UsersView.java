package org.bladeshare.console.ui;

import org.bladeshare.console.port.UserView;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** The SMB users, read-only (names only: the console never sees passwords or hashes). */
@Route(value = "users", layout = MainLayout.class)
@PageTitle("Users · Bladeshare console")
public class UsersView extends VerticalLayout {

    private final Grid<UserView> grid = new Grid<>(UserView.class, false);

    public UsersView() {
        setSizeFull();
        grid.setId("users");
        grid.addColumn(UserView::name).setHeader("User name");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.setSelectionMode(Grid.SelectionMode.NONE);
        add(new H2("Users"), grid);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        grid.setItems(ConsoleBackends.current().users());
    }
}
