package org.bladeshare.console.ui;

import org.bladeshare.console.port.ShareView;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

/** The SMB shares, read-only. */
@Route(value = "shares", layout = MainLayout.class)
@PageTitle("Shares · Bladeshare console")
public class SharesView extends VerticalLayout {

    private final Grid<ShareView> grid = new Grid<>(ShareView.class, false);

    public SharesView() {
        setSizeFull();
        grid.setId("shares");
        grid.addColumn(ShareView::name).setHeader("Name").setFlexGrow(1);
        grid.addColumn(ShareView::path).setHeader("Path").setFlexGrow(2);
        grid.addColumn(ShareView::comment).setHeader("Comment").setFlexGrow(2);
        grid.addColumn(share -> share.encrypt() ? "Required" : "No").setHeader("Encryption").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.setSelectionMode(Grid.SelectionMode.NONE);
        add(new H2("Shares"), grid);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        grid.setItems(ConsoleBackends.current().shares());
    }
}
