package dev.vask.testing.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

/**
 * The machine's own headless Chromium (Debian's /usr/bin/chromium, or -Dvask.test.chromium), driven by
 * Playwright. Playwright never downloads a browser here: the build sets PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD.
 */
public final class Chromium {

    private Chromium() {
    }

    public static Browser launch(Playwright playwright) {
        Path chromium = Path.of(System.getProperty("vask.test.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("The browser tests drive the Chromium at " + chromium + ", which is not there. Install it "
                    + "(Debian: apt-get update && apt-get install -y chromium) or point -Dvask.test.chromium at another Chromium.");
        }
        // without the background-networking flags, Chromium keeps trying hosts this closed network refuses
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setHeadless(true)
                .setExecutablePath(chromium)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run")));
    }
}
