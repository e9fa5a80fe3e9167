package org.bladeshare.console.ui;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bladeshare.console.port.ConsoleBackend;
import org.bladeshare.console.port.NodeView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.shared.Registration;

/**
 * The dashboard: the cluster's nodes in PNN order, refreshed by polling every
 * {@value #POLL_MILLIS} ms while the view is shown (no push: a poll is a plain request).
 */
@Route(value = "nodes", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PageTitle("Nodes · Bladeshare console")
public class NodesView extends VerticalLayout {

    static final int POLL_MILLIS = 2000;
    static final String HEALTHY_STATE = "OK";

    private static final Logger LOG = LoggerFactory.getLogger(NodesView.class);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ConsoleBackend backend = ConsoleBackends.current();
    private final Span summary = new Span();
    private final Grid<NodeView> grid = new Grid<>(NodeView.class, false);
    private Registration pollRegistration;

    public NodesView() {
        setSizeFull();
        summary.setId("nodes-summary");
        summary.getStyle().set("color", "var(--lumo-secondary-text-color)");

        grid.setId("nodes");
        grid.addColumn(NodeView::pnn).setHeader("PNN").setWidth("6em").setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        grid.addColumn(NodeView::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(NodeView::address).setHeader("Address").setFlexGrow(2);
        grid.addColumn(new ComponentRenderer<>(NodesView::stateBadge)).setHeader("State").setFlexGrow(1);
        grid.addColumn(node -> node.coordinator() ? "Coordinator" : "").setHeader("Role").setFlexGrow(1);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.setSelectionMode(Grid.SelectionMode.NONE);

        add(new H2("Cluster nodes"), summary, grid);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        UI ui = event.getUI();
        refresh();
        ui.setPollInterval(POLL_MILLIS);
        pollRegistration = ui.addPollListener(poll -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (pollRegistration != null) {
            pollRegistration.remove();
            pollRegistration = null;
        }
        event.getUI().setPollInterval(-1);
    }

    private void refresh() {
        String clock = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(CLOCK);
        List<NodeView> nodes;
        try {
            nodes = backend.nodes();
        } catch (RuntimeException e) {
            LOG.warn("The backend could not list the nodes", e);
            summary.setText("The cluster state cannot be read just now (" + e.getClass().getSimpleName()
                    + "); the table shows the last known state. Tried at " + clock + ".");
            summary.getStyle().set("color", "var(--lumo-error-text-color)");
            return;
        }
        grid.setItems(nodes);
        summary.getStyle().set("color", "var(--lumo-secondary-text-color)");
        summary.setText(summarize(nodes) + " Updated " + clock + ".");
    }

    static String summarize(List<NodeView> nodes) {
        long healthy = nodes.stream().filter(n -> HEALTHY_STATE.equals(n.state())).count();
        String coordinator = nodes.stream().filter(NodeView::coordinator).findFirst()
                .map(n -> "coordinator " + n.name() + " (PNN " + n.pnn() + ")")
                .orElse("no coordinator");
        return nodes.size() + (nodes.size() == 1 ? " node, " : " nodes, ") + healthy + " healthy, " + coordinator + ".";
    }

    private static Span stateBadge(NodeView node) {
        Span state = new Span(node.state());
        boolean healthy = HEALTHY_STATE.equals(node.state());
        state.getStyle()
                .set("font-weight", "600")
                .set("color", healthy ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
        return state;
    }
}
