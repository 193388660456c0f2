package dev.vask.platform.web;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.vask.platform.ManagementApiTestSupport;
import dev.vask.platform.PlatformTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends half a body and hangs up is nobody's error on our side: anyone can do it, so it
 * must not write error lines with stack traces to the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class AbandonedRequestTests extends ManagementApiTestSupport {

    @LocalServerPort
    int port;

    @Test
    void aBodyCutOffByTheClientLeavesNoErrorInTheLog(CapturedOutput output) throws Exception {
        int before = output.getAll().length();
        sendHalfABodyAndHangUp("/api/v1/session");
        sendHalfABodyAndHangUp("/apps/" + PlatformTestDatabase.APP_ID + "/events?auth_key=" + PlatformTestDatabase.APP_KEY);
        Thread.sleep(1_500); // the server notices the hang-up asynchronously

        assertThat(output.getAll().substring(before)).doesNotContain("request failed").doesNotContain("AbortedException")
                .doesNotContain(" ERROR ");
    }

    private void sendHalfABodyAndHangUp(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"em").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
        }
    }
}
