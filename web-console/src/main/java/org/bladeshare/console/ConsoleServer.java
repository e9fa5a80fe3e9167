package org.bladeshare.console;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.bladeshare.console.api.RestApiHandler;
import org.bladeshare.console.port.ConsoleBackend;
import org.bladeshare.console.tls.ConsoleKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;

import com.vaadin.flow.server.VaadinServlet;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import io.undertow.servlet.api.ServletSessionConfig;
import io.undertow.util.HttpString;

/**
 * The appliance's browser console and REST API on one HTTPS port of embedded Undertow:
 * <ul>
 *   <li>{@code /api/...}: the REST API ({@link RestApiHandler}), HTTP Basic authentication;</li>
 *   <li>everything else: the Vaadin console (package {@code org.bladeshare.console.ui}).</li>
 * </ul>
 * The TLS certificate is self-signed and kept in the data directory ({@link ConsoleKeyStore}).
 * <p>
 * <b>How the views find the backend.</b> Vaadin creates the views itself, so the backend is
 * published as the servlet context attribute {@value #BACKEND_ATTRIBUTE} of this console's
 * own deployment, and the views read it from there ({@code ui.ConsoleBackends}). Several
 * consoles may therefore run in one JVM, each with its own backend.
 */
public final class ConsoleServer implements AutoCloseable {

    /** Servlet context attribute holding this console's {@link ConsoleBackend}. */
    public static final String BACKEND_ATTRIBUTE = ConsoleBackend.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final Sequence<String> TLS_PROTOCOLS = Sequence.of("TLSv1.3", "TLSv1.2");

    private final ConsoleConfig config;
    private final ConsoleBackend backend;

    private Undertow undertow;
    private ServletContainer servletContainer;
    private DeploymentManager deployment;
    private volatile HttpHandler consoleHandler;
    private int boundPort = -1;

    public ConsoleServer(ConsoleConfig config, ConsoleBackend backend) {
        this.config = Objects.requireNonNull(config, "config");
        this.backend = Objects.requireNonNull(backend, "backend");
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException("Console port " + config.port() + " is not between 0 and 65535.");
        }
        Objects.requireNonNull(config.dataDir(), "config.dataDir");
        Objects.requireNonNull(config.bindAddress(), "config.bindAddress");
    }

    /**
     * Binds the HTTPS port and deploys the console; returns when both answer.
     *
     * @throws BindException when the port is taken
     * @throws IOException   when the address cannot be bound or the certificate cannot be kept
     */
    public synchronized void start() throws IOException {
        if (undertow != null) {
            throw new IllegalStateException("The console is already started on port " + boundPort + ".");
        }
        long started = System.nanoTime();
        SSLContext tls = ConsoleKeyStore.loadOrCreate(config.dataDir(), config.bindAddress()).sslContext();

        HttpHandler root = Handlers.path()
                .addPrefixPath("/api", new RestApiHandler(backend))
                .addPrefixPath("/", this::handleConsole);
        Undertow server = Undertow.builder()
                .addHttpsListener(config.port(), config.bindAddress(), tls)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, TLS_PROTOCOLS)
                .setIoThreads(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(16)
                .setHandler(new SecurityHeaders(root))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw bindFailure(e);
        }
        undertow = server;
        boundPort = ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();

        try {
            deployConsole();
        } catch (Exception e) {
            close();
            throw new IOException("The web console could not be deployed: " + e.getMessage(), e);
        }
        LOG.info("Console listening on https://{}:{}/ (started in {} ms)", config.bindAddress(), boundPort,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The bound port once started (the real one when configured as 0), the configured one before. */
    public synchronized int port() {
        return boundPort >= 0 ? boundPort : config.port();
    }

    /** Stops the listener and undeploys the console; safe to call more than once. */
    @Override
    public synchronized void close() {
        consoleHandler = null;
        if (deployment != null) {
            DeploymentInfo info = deployment.getDeployment().getDeploymentInfo();
            try {
                deployment.stop();
            } catch (Exception e) {
                LOG.warn("Stopping the console deployment failed", e);
            }
            deployment.undeploy();
            servletContainer.removeDeployment(info);
            deployment = null;
            servletContainer = null;
        }
        if (undertow != null) {
            stopQuietly(undertow);
            undertow = null;
        }
        boundPort = -1;
    }

    private void deployConsole() throws Exception {
        ClassLoader loader = ConsoleServer.class.getClassLoader();
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(loader)
                .setContextPath("/")
                .setDeploymentName("bladeshare-console-" + boundPort)
                .setDisplayName("Bladeshare console")
                // Vaadin serves its own bundle; the theme's CSS (lumo/lumo.css) is a static resource.
                .setResourceManager(new ClassPathResourceManager(loader, "META-INF/resources"))
                // Cookies ignore ports: a name per port keeps consoles of several nodes on one host apart.
                .setServletSessionConfig(new ServletSessionConfig()
                        .setName("BLADESHARE_CONSOLE_" + boundPort)
                        .setSecure(true)
                        .setHttpOnly(true)
                        .setAttribute("SameSite", "Strict"))
                .addServletContextAttribute(BACKEND_ATTRIBUTE, backend)
                .addServlet(Servlets.servlet("vaadin", VaadinServlet.class)
                        .addMapping("/*")
                        .setAsyncSupported(true)
                        .setLoadOnStartup(1));
        info.addServletContainerInitializers(VaadinInitializers.forClassLoader(loader));

        servletContainer = ServletContainer.Factory.newInstance();
        deployment = servletContainer.addDeployment(info);
        deployment.deploy();
        consoleHandler = deployment.start();
    }

    private void handleConsole(HttpServerExchange exchange) throws Exception {
        HttpHandler handler = consoleHandler;
        if (handler == null) {
            exchange.setStatusCode(503);
            exchange.getResponseSender().send("The console is starting or stopping.");
            return;
        }
        handler.handleRequest(exchange);
    }

    private IOException bindFailure(RuntimeException e) {
        String where = config.bindAddress() + ":" + config.port();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                BindException bind = new BindException("Cannot listen on " + where + ": " + cause.getMessage() + ".");
                bind.initCause(e);
                return bind;
            }
        }
        Throwable root = e.getCause() != null ? e.getCause() : e;
        return new IOException("Cannot listen on " + where + ": " + root + ".", e);
    }

    private static void stopQuietly(Undertow server) {
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.debug("Undertow stop failed", e);
        }
    }

    /** Headers every response carries: no framing, no MIME sniffing, no referrer leak. */
    private record SecurityHeaders(HttpHandler next) implements HttpHandler {
        private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");
        private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
        private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            var headers = exchange.getResponseHeaders();
            headers.put(FRAME_OPTIONS, "DENY");
            headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
            headers.put(REFERRER_POLICY, "no-referrer");
            next.handleRequest(exchange);
        }
    }
}
