package org.bladeshare.console.ui;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;

/** The page around every view: Lumo styling (Vaadin 25 renders unstyled without it). */
@StyleSheet(Lumo.STYLESHEET)
@Meta(name = "robots", content = "noindex, nofollow")
public class ConsoleAppShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Bladeshare console");
    }
}
