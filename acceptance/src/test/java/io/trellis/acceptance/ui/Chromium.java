package io.trellis.acceptance.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium in headless mode, through its own chromedriver (bin/test installs both); never a downloaded browser. */
final class Chromium {
  /** Where every page's screenshot is kept, as test artifacts. */
  static final Path SHOTS = Path.of("target", "ui-screenshots");

  private Chromium() {}

  static WebDriver start(Path profile) throws java.io.IOException {
    File binary = new File("/usr/bin/chromium");
    File driver = new File("/usr/bin/chromedriver");
    if (!binary.canExecute() || !driver.canExecute()) {
      throw new AssertionError("the browser tests need Debian's Chromium and its driver: apt-get install -y chromium"
          + " chromium-driver (bin/test installs them)");
    }
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  static void shot(WebDriver browser, String name) throws java.io.IOException {
    Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
