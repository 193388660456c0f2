package dev.vask.platform.bootstrap;

import java.io.PrintStream;
import java.net.URI;

import dev.vask.platform.edge.PublicUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Tells the operator how to connect, once the server listens. On the first start the block includes
 * the demo app's secret and the admin password (when Vask generated them); later starts print only
 * the URLs. The block goes to standard output, not through the logging system, so that the one-time
 * secrets never reach log files or log shippers.
 */
class ConnectionBanner implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionBanner.class);

    private final FirstStartBootstrap bootstrap;
    private final PublicUrl publicUrl;
    private final PrintStream out;

    ConnectionBanner(FirstStartBootstrap bootstrap, PublicUrl publicUrl, PrintStream out) {
        this.bootstrap = bootstrap;
        this.publicUrl = publicUrl;
        this.out = out;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        bootstrap.outcome().ifPresent(outcome -> {
            out.print(render(outcome, publicUrl.base()));
            out.flush();
            if (outcome.created()) {
                log.info("First start: connection details and credentials were printed to standard output");
            }
        });
    }

    static String render(FirstStart outcome, URI base) {
        String http = base.toString();
        String ws = (http.startsWith("https:") ? "wss:" : "ws:") + http.substring(http.indexOf(':') + 1);
        StringBuilder text = new StringBuilder();
        String rule = "=".repeat(78);
        text.append('\n').append(rule).append('\n');
        if (outcome.created()) {
            text.append(" Vask is ready. First start: created a tenant, an admin account and a demo app.\n");
        }
        else {
            text.append(" Vask is ready.\n");
        }
        text.append(rule).append('\n');
        line(text, "App id", Long.toString(outcome.appId()));
        if (outcome.appKey() != null) {
            line(text, "App key", outcome.appKey());
        }
        if (outcome.generatedSecret() != null) {
            line(text, "App secret", outcome.generatedSecret());
        }
        else if (outcome.created()) {
            line(text, "App secret", "(the one you set in VASK_BOOTSTRAP_APP_SECRET)");
        }
        line(text, "WebSocket", ws + "/app/" + (outcome.appKey() != null ? outcome.appKey() : "{key}") + "?protocol=7");
        line(text, "HTTP API", http + "/apps/" + outcome.appId() + "/events");
        line(text, "Dashboard", http + "/dashboard");
        if (outcome.adminEmail() != null) {
            line(text, "Admin login", outcome.adminEmail() + " / "
                    + (outcome.generatedAdminPassword() != null ? outcome.generatedAdminPassword() : "(the password you set in VASK_ADMIN_PASSWORD)"));
        }
        if (outcome.created() && (outcome.generatedSecret() != null || outcome.generatedAdminPassword() != null)) {
            text.append(rule).append('\n');
            text.append(" The secret and the password above are shown only now: keep them somewhere safe.\n");
        }
        text.append(rule).append("\n\n");
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(" %-12s %s%n", label + ":", value));
    }
}
