package org.bladeshare.tests;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Debian's headless Chromium driven through Debian's chromedriver: no downloads. */
public final class Browser implements AutoCloseable {
    private final WebDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        System.setProperty("SE_OFFLINE", "true");
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        driver = new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    /** The first visible element matching css, waiting up to the timeout. */
    public WebElement visible(String css, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<WebElement> e = driver.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst();
            if (e.isPresent()) {
                return e.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no visible " + css + " on " + driver.getCurrentUrl());
    }

    /** Waits until the page's text satisfies the condition; returns that text (or the last text seen). */
    public String awaitText(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = driver.findElement(By.tagName("body")).getText();
            if (condition.test(text)) {
                return text;
            }
            Thread.sleep(300);
        }
        return text;
    }

    public void screenshot(Path file) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
