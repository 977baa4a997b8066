package org.activitypipeline.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, for the dashboard tests (this module's and
 * the e2e module's, through the test jar).
 * Installs both packages when they are missing and the test runs as root with apt (a fresh
 * machine), so the README's one test command needs nothing else; Selenium never downloads a driver.
 */
public final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  public static ChromeDriver start(Path profileDir) throws IOException, InterruptedException {
    ensureInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // Without the background-networking flags Chromium keeps dialling out, which this closed network refuses.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profileDir.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /**
   * Waits until the dashboard page's {@code condition} (a script returning a boolean) holds; fails with
   * what the page last drew ({@code window.dashboard}) after {@code limit}.
   */
  public static void awaitDashboard(org.openqa.selenium.JavascriptExecutor js, String condition, String what,
                                    java.time.Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!Boolean.TRUE.equals(js.executeScript(condition))) {
      if (System.nanoTime() >= deadline) {
        throw new AssertionError(what + " did not happen in " + limit.toSeconds() + " s: "
            + js.executeScript("return JSON.stringify(window.dashboard)"));
      }
      Thread.sleep(100);
    }
  }

  /** The console's messages of level SEVERE since the last call (reading clears them). */
  public static List<String> severeConsoleMessages(ChromeDriver browser) {
    List<String> severe = new java.util.ArrayList<>();
    for (org.openqa.selenium.logging.LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(e.getMessage());
      }
    }
    return severe;
  }

  static synchronized void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new IllegalStateException("the dashboard test needs Debian's chromium and chromium-driver packages"
          + " (apt-get install chromium chromium-driver)");
    }
    run(List.of("apt-get", "update", "-qq"));
    run(List.of("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.appendTo(Path.of("target", "chromium-install.log").toFile()));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed; see target/chromium-install.log");
    }
  }
}
