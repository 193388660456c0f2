package dev.vask.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A newcomer without a JDK 25 gets a message saying what to install, not a toolchain stack trace.
 * The build is run for real on a machine whose JDK 25 has disappeared: every JDK 25 directory is hidden
 * behind an empty one in a mount namespace of its own ({@code unshare}), the home directory is a new one
 * (no toolchains.xml, no SDKMAN), and Maven runs on an older JDK, as it may. It never skips in CI.
 */
class MissingJdkIT {

    private static final Path REPOSITORY_ROOT = findRepositoryRoot();

    @Test
    void withoutAJdk25TheBuildStopsAndSaysWhatToInstall(@TempDir Path home) throws Exception {
        requireOrSkip(System.getProperty("os.name").startsWith("Linux"), "hiding the JDK needs Linux mount namespaces");
        Path olderJdk = olderJdk();
        Path empty = Files.createDirectory(home.resolve("empty"));
        StringBuilder script = new StringBuilder("set -e\n");
        for (Path jdk : jdks25()) {
            script.append("mount --bind '").append(empty).append("' '").append(jdk).append("'\n");
        }
        script.append("exec ./mvnw -q -o -N -Duser.home='").append(home)
                .append("' -Dmaven.repo.local='").append(localRepository()).append("' validate\n");

        ProcessBuilder build = new ProcessBuilder("unshare", "--map-root-user", "--mount", "sh", "-c", script.toString())
                .directory(REPOSITORY_ROOT.toFile())
                .redirectErrorStream(true);
        build.environment().keySet().removeIf(name -> name.endsWith("_HOME") || name.startsWith("MAVEN_OPTS"));
        build.environment().put("JAVA_HOME", olderJdk.toString());
        Process process = build.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output)
                .contains("Vask builds and runs on Java 25, and no JDK 25 was found on this machine.")
                .contains("Install a JDK 25, for example Temurin 25 from https://adoptium.net")
                .doesNotContain("select-jdk-toolchain")
                .doesNotContainPattern("\\sat [a-z]+\\.[a-z]"); // no stack trace
    }

    /** Every installed JDK 25 or newer where the build would look: the running one and /usr/lib/jvm. */
    private static List<Path> jdks25() throws IOException {
        List<Path> found = new ArrayList<>();
        Path running = Path.of(System.getProperty("java.home")).toRealPath();
        found.add(running);
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.filter(jdk -> major(jdk) >= 25).map(MissingJdkIT::realPath)
                    .filter(jdk -> !found.contains(jdk)).forEach(found::add);
        }
        return found;
    }

    private static Path olderJdk() throws IOException {
        Optional<Path> older;
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            older = installed.filter(jdk -> major(jdk) >= 17 && major(jdk) < 25).findFirst();
        }
        requireOrSkip(older.isPresent(), "this test needs a JDK 17 to 24 in /usr/lib/jvm to run Maven on");
        return older.get();
    }

    /**
     * Skips on a developer's machine that lacks what the test needs, but fails in CI ({@code CI=true}), which must
     * run it: {@code .ci/run} installs a JDK 17 when there is no JDK 17 to 24.
     */
    private static void requireOrSkip(boolean condition, String need) {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(condition).as(need + "; CI must run this test (.ci/run installs openjdk-17-jdk-headless)").isTrue();
        }
        else {
            assumeTrue(condition, need);
        }
    }

    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        }
        catch (IOException | NumberFormatException notAJdk) {
            return -1;
        }
        return -1;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        }
        catch (IOException e) {
            return path;
        }
    }

    private static Path localRepository() {
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path findRepositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("mvnw not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
