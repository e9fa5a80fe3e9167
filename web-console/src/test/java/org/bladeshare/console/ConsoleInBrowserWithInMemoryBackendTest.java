package org.bladeshare.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's Chromium, headless) against
 * {@link InMemoryConsoleBackend}, a stand-in for the appliance. The log-in is done the way
 * the outside acceptance check does it: the first visible user-name-like input, the password
 * input, Enter.
 */
class ConsoleInBrowserWithInMemoryBackendTest {

    private static final String PASSWORD = "Blade-Pass-1";
    private static final String OTHER_PASSWORD = "Other-Pass-2";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path work;

    private static InMemoryConsoleBackend backend;
    private static InMemoryConsoleBackend otherBackend;
    private static ConsoleServer console;
    private static ConsoleServer otherConsole;
    private static ChromeDriverService driverService;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void startConsolesAndBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        backend = InMemoryConsoleBackend.threeNodes("blade", PASSWORD);
        console = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, work.resolve("one")), backend);
        console.start();
        otherBackend = InMemoryConsoleBackend.threeNodes("other", OTHER_PASSWORD);
        otherConsole = new ConsoleServer(new ConsoleConfig("127.0.0.1", 0, work.resolve("two")), otherBackend);
        otherConsole.start();

        profile = Files.createTempDirectory("console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                "--user-data-dir=" + profile);
        options.setAcceptInsecureCerts(true);
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT);
    }

    @AfterAll
    static void stopBrowserAndConsoles() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (console != null) {
            console.close();
        }
        if (otherConsole != null) {
            otherConsole.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void forgetTheLastSession() {
        for (ConsoleServer server : List.of(console, otherConsole)) {
            browser.get(base(server) + "/login");
            browser.manage().deleteAllCookies();
        }
    }

    @Test
    void wrongPasswordShowsAnErrorOnTheLoginForm() throws IOException {
        browser.get(base(console) + "/");
        logIn("admin", "not-the-password");

        new WebDriverWait(browser, WAIT).until(ExpectedConditions.attributeToBeNotEmpty(
                browser.findElement(By.tagName("vaadin-login-form")), "error"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.tagName("body"), "Wrong user name or password"));
        assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
        assertFalse(bodyText().contains("blade-0"), "no node is shown before a successful log-in");
        screenshot("console-login-error.png");
    }

    @Test
    void aSecondTryAfterAWrongPasswordLogsIn() {
        browser.get(base(console) + "/");
        logIn("admin", "not-the-password");
        waitForBodyText("Wrong user name or password");

        logIn("admin", PASSWORD);
        waitForBodyText("blade-0", "blade-1", "blade-2", "OK");
    }

    @Test
    void rightPasswordShowsTheDashboardWithTheNodes() throws IOException {
        browser.get(base(console) + "/");
        logIn("admin", PASSWORD);

        waitForBodyText("blade-0", "blade-1", "blade-2", "OK", "198.18.0.2");
        String body = bodyText();
        assertTrue(body.contains("Coordinator"), body);
        assertTrue(body.contains("3 nodes, 3 healthy, coordinator blade-0 (PNN 0)"), body);
        screenshot("console-dashboard.png");
    }

    @Test
    void dashboardFollowsTheClusterByPolling() {
        browser.get(base(console) + "/");
        logIn("admin", PASSWORD);
        waitForBodyText("blade-2", "3 healthy");

        backend.setNodeState(2, "BANNED");
        try {
            waitForBodyText("BANNED", "2 healthy");
        } finally {
            backend.setNodeState(2, "OK");
        }
        waitForBodyText("3 healthy");
    }

    @Test
    void aBackendThatFailsIsReportedAndTheLastStateKept() {
        browser.get(base(console) + "/");
        logIn("admin", PASSWORD);
        waitForBodyText("blade-0", "3 healthy");

        backend.failing = true;
        try {
            waitForBodyText("The cluster state cannot be read just now", "blade-0");
        } finally {
            backend.failing = false;
        }
        waitForBodyText("3 nodes, 3 healthy");
    }

    @Test
    void sharesAndUsersHaveTheirOwnViews() throws IOException {
        browser.get(base(console) + "/");
        logIn("admin", PASSWORD);
        waitForBodyText("blade-0");

        browser.findElement(By.xpath("//vaadin-side-nav-item[normalize-space()='Shares']")).click();
        waitForBodyText("projects", "/cluster/finance", "Ledgers (encrypted)", "Required");
        assertTrue(browser.getCurrentUrl().endsWith("/shares"), browser.getCurrentUrl());
        screenshot("console-shares.png");

        browser.findElement(By.xpath("//vaadin-side-nav-item[normalize-space()='Users']")).click();
        waitForBodyText("alice", "bob");
        assertTrue(browser.getCurrentUrl().endsWith("/users"), browser.getCurrentUrl());
    }

    @Test
    void viewsAskForALogInFirst() {
        for (String view : List.of("/", "/nodes", "/shares", "/users")) {
            browser.get(base(console) + view);
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlMatches(".*/login$"));
            waitForBodyText("Log in");
            String body = bodyText();
            assertFalse(body.contains("blade-0") || body.contains("alice") || body.contains("/cluster/"),
                    view + " leaked data before log-in: " + body);
        }
    }

    @Test
    void loggingOutEndsTheSession() {
        browser.get(base(console) + "/");
        logIn("admin", PASSWORD);
        waitForBodyText("blade-0");

        browser.findElement(By.id("logout")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlMatches(".*/login$"));
        browser.get(base(console) + "/nodes");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlMatches(".*/login$"));
        waitForBodyText("Log in");
        assertFalse(bodyText().contains("blade-0"));
    }

    @Test
    void eachConsoleInTheJvmShowsItsOwnBackend() {
        browser.get(base(otherConsole) + "/");
        logIn("admin", PASSWORD);
        waitForBodyText("Wrong user name or password");

        browser.get(base(otherConsole) + "/");
        logIn("admin", OTHER_PASSWORD);
        waitForBodyText("other-0", "other-2", "OK");
        assertFalse(bodyText().contains("blade-0"), bodyText());
    }

    /** As the acceptance check: first visible user-name input, then the password input and Enter. */
    private static void logIn(String user, String password) {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        WebElement userInput = wait.until(d -> d.findElements(By.cssSelector(
                        "input[name='username'], input[autocomplete='username'], input[type='text']"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        userInput.sendKeys(user);
        WebElement passwordInput = wait.until(d -> d.findElements(By.cssSelector("input[type='password']"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
        passwordInput.sendKeys(password + Keys.ENTER);
    }

    private static void waitForBodyText(String... texts) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> {
                String body = bodyText();
                return Stream.of(texts).allMatch(body::contains);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("Waited " + WAIT.toSeconds() + " s for " + List.of(texts)
                    + " in the page; it shows:\n" + bodyText(), e);
        }
    }

    private static String bodyText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(target) > 1000, "screenshot " + target);
    }

    private static String base(ConsoleServer server) {
        return "https://127.0.0.1:" + server.port();
    }

    @Test
    void loginPageIsStyledWithLumo() {
        browser.get(base(console) + "/login");
        WebElement form = new WebDriverWait(browser, WAIT).until(
                ExpectedConditions.visibilityOfElementLocated(By.tagName("vaadin-login-form")));
        // Lumo defines its design tokens on the document; an unstyled Vaadin 25 page has none.
        Object primary = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(document.documentElement).getPropertyValue('--lumo-primary-color')");
        assertFalse(String.valueOf(primary).isBlank(), "--lumo-primary-color is set");
        assertTrue(form.getSize().getWidth() > 200, "the login form is laid out, not collapsed");
    }
}
