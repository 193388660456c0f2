package dev.vask.testing.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SMTP server (GreenMail) on a free loopback port, one per test JVM, that Vask sends its mail
 * to in tests: verification, invitation and password-reset links are read from the messages it
 * received, as a person would read them from their inbox.
 */
public final class TestMailServer {

    private static final Pattern LINK = Pattern.compile("https?://\\S+");
    private static volatile TestMailServer shared;

    private final GreenMail greenMail;
    private final Set<String> taken = new HashSet<>();

    private TestMailServer() {
        ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
        greenMail = new GreenMail(smtp);
        greenMail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop, "test-mail-server-stop"));
    }

    /** The JVM's server, started on first use. */
    public static TestMailServer shared() {
        TestMailServer server = shared;
        if (server == null) {
            synchronized (TestMailServer.class) {
                server = shared;
                if (server == null) {
                    server = new TestMailServer();
                    shared = server;
                }
            }
        }
        return server;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** Points Vask's mail at this server (plain SMTP on loopback). */
    public void registerSpringProperties(DynamicPropertyRegistry registry) {
        registry.add("vask.mail.host", () -> "127.0.0.1");
        registry.add("vask.mail.port", this::port);
        registry.add("vask.mail.tls", () -> "none");
        registry.add("vask.mail.from", () -> "Vask tests <vask@example.com>");
    }

    /** One received message, as its reader sees it. */
    public record Received(String to, String from, String subject, String text, String link) {
    }

    /**
     * Waits (10 s at most) for a message to this address whose subject contains {@code subject}, that
     * no earlier call returned, and answers the newest such message.
     */
    public Received await(String to, String subject) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<Received> found = unread(to, subject);
            if (!found.isEmpty()) {
                Received newest = found.getLast();
                synchronized (taken) {
                    found.forEach(message -> taken.add(key(message)));
                }
                return newest;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No mail to " + to + " with subject containing '" + subject + "' arrived within 10 s; received: "
                        + all().stream().map(message -> message.to() + ": " + message.subject()).toList());
            }
            greenMail.waitForIncomingEmail(200, Integer.MAX_VALUE);
        }
    }

    /** The link of the newest unread message to this address with this subject (see {@link #await}). */
    public String awaitLink(String to, String subject) {
        return await(to, subject).link();
    }

    /** The token in a link's fragment ({@code ...#token=VALUE}). */
    public static String token(String link) {
        int at = link.indexOf("#token=");
        if (at < 0) {
            throw new AssertionError("no #token= in " + link);
        }
        return link.substring(at + "#token=".length());
    }

    /** Every message received so far to this address (read or not). */
    public List<Received> allTo(String to) {
        return all().stream().filter(message -> message.to().equalsIgnoreCase(to)).toList();
    }

    private List<Received> unread(String to, String subject) {
        List<Received> found = new ArrayList<>();
        for (Received message : all()) {
            boolean read;
            synchronized (taken) {
                read = taken.contains(key(message));
            }
            if (!read && message.to().equalsIgnoreCase(to) && message.subject().toLowerCase(Locale.ROOT).contains(subject.toLowerCase(Locale.ROOT))) {
                found.add(message);
            }
        }
        return found;
    }

    private List<Received> all() {
        List<Received> messages = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            try {
                Object content = message.getContent();
                String text = content instanceof String decoded ? decoded : GreenMailUtil.getBody(message);
                Matcher link = LINK.matcher(text);
                messages.add(new Received(first(message.getRecipients(Message.RecipientType.TO)), first(message.getFrom()),
                        message.getSubject(), text, link.find() ? link.group() : ""));
            }
            catch (MessagingException | java.io.IOException e) {
                throw new IllegalStateException("Could not read a received message: " + e.getMessage(), e);
            }
        }
        return messages;
    }

    private static String key(Received message) {
        return message.to() + "\n" + message.subject() + "\n" + message.link();
    }

    private static String first(Address[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return "";
        }
        String address = addresses[0].toString();
        int open = address.indexOf('<');
        return open >= 0 ? address.substring(open + 1, address.indexOf('>', open)) : address;
    }
}
